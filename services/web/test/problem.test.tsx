import { toProblem } from '../src/api/problem';
import { PROBLEM_MESSAGES } from '../src/i18n/problem-messages';

test('When a service answers with a Russian detail, then the person reads that detail and the field errors', () => {
  const problem = toProblem({ status: 422, code: 'validation_failed', detail: 'Укажите число часов.', errors: [{ field: 'units', message: 'не больше 3' }] });
  expect(problem).toMatchObject({ status: 422, code: 'validation_failed', message: 'Укажите число часов.', errors: [{ field: 'units', message: 'не больше 3' }] });
});

test('When a detail is English or missing, then the Russian message of its code is shown instead', () => {
  expect(toProblem({ status: 400, code: 'malformed_json', detail: 'Unexpected token } in JSON' }).message).toBe(PROBLEM_MESSAGES.malformed_json);
  expect(toProblem({ status: 409, code: 'csrf_failed' }).message).toBe(PROBLEM_MESSAGES.csrf_failed);
});

test('When the network fails, then the problem says so in Russian', () => {
  expect(toProblem(new TypeError('Failed to fetch'))).toMatchObject({ code: 'network_error', message: PROBLEM_MESSAGES.network_error });
});
