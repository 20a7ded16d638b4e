import { readdirSync, readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { join } from 'node:path';
import { PROBLEM_MESSAGES, problemMessage } from '../src/i18n/problem-messages';

const OPENAPI_DIR = join(__dirname, '..', '..', '..', 'openapi');


/** Every code in every contract's components.schemas.Problem.x-problem-codes, with the contracts listing it. */
function contractCodes(): Map<string, string[]> {
  const codes = new Map<string, string[]>();
  for (const file of readdirSync(OPENAPI_DIR).filter((f) => f.endsWith('.yaml'))) {
    const contract = parseYaml(readFileSync(join(OPENAPI_DIR, file), 'utf8')) as {
      components?: { schemas?: { Problem?: { 'x-problem-codes'?: Record<string, string> } } };
    };
    for (const code of Object.keys(contract.components?.schemas?.Problem?.['x-problem-codes'] ?? {})) {
      codes.set(code, [...(codes.get(code) ?? []), file]);
    }
  }
  return codes;
}

/** Latin words a Russian message may carry: abbreviations (PDF, XML) and these names. */
const LATIN_NAMES = new Set(['Windows']);

/** Russian: Cyrillic text whose Latin words, if any, are abbreviations or names, never English. */
function isRussian(text: string): boolean {
  const latinWords = text.match(/[A-Za-z]+/g) ?? [];
  return /[А-Яа-яЁё]/.test(text) && latinWords.every((word) => word === word.toUpperCase() || LATIN_NAMES.has(word));
}

describe('Problem messages', () => {
  const codes = contractCodes();

  it('When the contracts are read, then each service lists its problem codes', () => {
    const files = readdirSync(OPENAPI_DIR).filter((f) => f.endsWith('.yaml'));
    const listing = new Set([...codes.values()].flat());
    expect(files.filter((f) => !listing.has(f))).toEqual([]);
    expect(codes.get('validation_failed')).toHaveLength(files.length);
  });

  it('When a contract lists a problem code, then the web app has a Russian message for it', () => {
    const missing = [...codes].filter(([code]) => !Object.hasOwn(PROBLEM_MESSAGES, code)).map(([code, files]) => `${code} (${files.join(', ')})`);
    expect(missing).toEqual([]);
  });

  it('When a message is shown, then it is non-empty Russian', () => {
    const bad = Object.entries(PROBLEM_MESSAGES)
      .filter(([, message]) => !message.trim() || !isRussian(message))
      .map(([code, message]) => `${code}: «${message}»`);
    expect(bad).toEqual([]);
  });

  it('When a code has no message of its own, then the general one is shown', () => {
    expect(problemMessage('no_such_code_anywhere')).toBe(PROBLEM_MESSAGES.unexpected_error);
    expect(problemMessage('csrf_failed')).toBe(PROBLEM_MESSAGES.csrf_failed);
  });
});
