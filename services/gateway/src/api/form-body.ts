import express, { type RequestHandler } from 'express';

const parseForm = express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 20 });

/**
 * OAuth clients send application/x-www-form-urlencoded, but service-kit's app rejects every body
 * that is not JSON before any router runs. This runs in front of that app on one route: it parses
 * the form and relabels the request as JSON so the body passes through as already parsed.
 */
export const acceptFormBody: RequestHandler = (req, res, next) => {
  if (!req.is('application/x-www-form-urlencoded')) return next();
  parseForm(req, res, (err?: unknown) => {
    if (err) return next(err);
    res.locals.formEncoded = true;
    req.headers['content-type'] = 'application/json';
    next();
  });
};

export const wasFormEncoded = (locals: Record<string, unknown>): boolean => locals.formEncoded === true;
