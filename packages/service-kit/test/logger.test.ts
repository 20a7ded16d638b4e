import { Writable } from 'node:stream';
import { createLogger, maskPersonalData } from '../src';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { logger: createLogger('test', 'info', stream), text: () => lines.join('') };
}

const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJjaXRpemVuIn0.c2lnbmF0dXJlLXBhcnQ';

test('When a log line carries a SNILS, a token or a name, then none of them reaches the log in full', () => {
  const { logger, text } = capture();
  const err = Object.assign(new Error('duplicate key value violates unique constraint "recipients_snils_key"'), {
    detail: 'Key (snils)=(11223344595) already exists.',
  });
  logger.warn({ err, recipient: { snils: '112-233-445 95', full_name: 'Иванов Иван Иванович' }, auth: `Bearer ${TOKEN}` }, 'refused 11223344595');
  logger.info({ session: { token: 'opaque-session-secret' } }, `token ${TOKEN}`);
  const out = text();
  expect(out).not.toContain('11223344595');
  expect(out).not.toContain('112-233-445 95');
  expect(out).not.toContain('Иванов');
  expect(out).not.toContain(TOKEN);
  expect(out).not.toContain('opaque-session-secret');
  expect(out).toContain('***-***-*** 95');
  expect(out).toContain('[token]');
  expect(out).toContain('[redacted]');
  expect(out).toContain('violates unique constraint');
});

test('When a number is not a SNILS (an INN, an account, an amount), then it is logged as it is', () => {
  expect(maskPersonalData('INN 7830002293, account 40702810900000000001, 1234.50 руб., OGRN 1027700132195')).toBe(
    'INN 7830002293, account 40702810900000000001, 1234.50 руб., OGRN 1027700132195',
  );
  expect(maskPersonalData('СНИЛС 112-233-445 95')).toBe('СНИЛС ***-***-*** 95');
});
