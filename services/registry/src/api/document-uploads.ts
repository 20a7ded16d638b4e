import { Router, type RequestHandler } from 'express';
import multer from 'multer';
import { AppError, authenticate, parseInput, problemErrorHandler, validationFailed, type Logger, type TokenVerifier } from '@esc/service-kit';
import type { Deps } from '../domain/deps';
import * as documents from '../domain/documents';
import { assertOwnAdmin } from '../domain/provider-model';
import { documentView } from './presenters';
import * as schemas from './schemas';

const upload = multer({
  storage: multer.memoryStorage(),
  // One byte over the limit is enough to refuse: the rest of the file is never buffered.
  limits: { fileSize: documents.MAX_DOCUMENT_BYTES, files: 1, fields: 8, fieldSize: 4096, parts: 9, headerPairs: 100 },
  defParamCharset: 'utf8',
}).single('file');

const MULTER_PROBLEMS: Record<string, { field?: string; message: string }> = {
  LIMIT_FILE_COUNT: { field: 'file', message: 'приложите один файл' },
  LIMIT_UNEXPECTED_FILE: { field: 'file', message: 'файл передаётся в поле «file»' },
  LIMIT_FIELD_VALUE: { message: 'значение поля формы длиннее 4096 символов' },
  LIMIT_FIELD_COUNT: { message: 'в форме слишком много полей' },
  LIMIT_PART_COUNT: { message: 'в форме слишком много частей' },
  LIMIT_FIELD_KEY: { message: 'слишком длинное имя поля формы' },
  MISSING_FIELD_NAME: { message: 'у части формы нет имени поля' },
};

/** multer's refusals as the registry's problems: a file over 10 MB is 413, anything else malformed is 400. */
const receiveFile: RequestHandler = (req, res, next) => {
  upload(req, res, (err?: unknown) => {
    if (!err) return next();
    if (err instanceof multer.MulterError) {
      if (err.code === 'LIMIT_FILE_SIZE') {
        return next(
          new AppError('too_large', 'document_too_large', 'Файл больше 10 МБ; уменьшите разрешение скана или разделите документ.', {
            max_bytes: documents.MAX_DOCUMENT_BYTES,
          }),
        );
      }
      const problem = MULTER_PROBLEMS[err.code] ?? { message: 'форма передана неверно' };
      return next(validationFailed([{ field: problem.field ?? err.field ?? 'form', message: problem.message }]));
    }
    // A cut-off or malformed multipart body: the client's fault, not ours.
    next(new AppError('validation', 'bad_request_body', 'Не удалось прочитать форму целиком; отправьте файл ещё раз.'));
  });
};

/**
 * Document upload from a browser form (multipart/form-data). service-kit's app answers 415 to any
 * body that is not JSON before a route sees it, so this router runs in front of it and handles only
 * multipart uploads, with the same token check and problem+json errors; everything else, the JSON
 * (base64) upload included, goes on to the main app. Who may upload is checked before the body is read.
 */
export function documentUploadRouter(deps: Deps, verifier: TokenVerifier, logger: Logger): Router {
  const router = Router();
  router.post(
    '/v1/providers/:id/documents',
    (req, _res, next) => next(req.is('multipart/form-data') ? undefined : 'router'),
    authenticate(verifier),
    (req, _res, next) => {
      const { id } = parseInput(schemas.providerIdParam, req.params);
      assertOwnAdmin(req.principal!, id);
      next();
    },
    receiveFile,
    async (req, res) => {
      const { id } = parseInput(schemas.providerIdParam, req.params);
      const form = parseInput(schemas.uploadDocumentForm, req.body ?? {});
      if (!req.file) throw validationFailed([{ field: 'file', message: 'приложите файл документа (PDF, JPEG или PNG)' }]);
      const fileName = parseInput(schemas.uploadedFileName, req.file.originalname, 'file');
      const document = await documents.uploadDocument(deps, req.principal!, {
        providerId: id,
        kind: form.kind,
        title: form.title,
        fileName,
        validUntil: form.valid_until,
        bytes: req.file.buffer,
        field: 'file',
      });
      res.status(201).json(documentView(document));
    },
  );
  router.use(problemErrorHandler(logger));
  return router;
}
