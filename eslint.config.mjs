import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

// A statement's text: lowercase SQL keywords in their grammatical order (prose and Russian text do not match).
const SQL_STATEMENT = String.raw`/(^|[^\w])(select\s[\s\S]*\sfrom\s|insert\s+into\s|update\s+[\w."]+\s+set\s|delete\s+from\s|with\s+\w+\s+as\s*\()/`;
const SQL_TEXT_IN_LITERAL = `Literal[value=${SQL_STATEMENT}]`;
const SQL_TEXT_IN_TEMPLATE = `TemplateElement[value.raw=${SQL_STATEMENT}]`;
const DATABASE_CALL = 'CallExpression[callee.name=/^(sqlOf|sqlOn|withSqlClient|withSqlTransaction)$/], CallExpression[callee.property.name=/^(execute|getConnection|getKnex|getTransactionContext)$/]';

export default tseslint.config(
  { ignores: ['**/node_modules/**', 'packages/api-types/src/generated/**', '**/dist/**', 'infra/.data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.jest } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-empty': ['error', { allowEmptyCatch: false }],
      eqeqeq: ['error', 'smart'],
    },
  },
  // Domain files hold use cases and rules; every SQL statement lives in a store under src/data-access.
  {
    files: ['services/*/src/domain/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        ...[SQL_TEXT_IN_LITERAL, SQL_TEXT_IN_TEMPLATE].map((selector) => ({ selector, message: 'SQL belongs in a store under src/data-access, not in the domain.' })),
        { selector: DATABASE_CALL, message: 'The domain reaches the database only through the stores in src/data-access.' },
      ],
      'no-restricted-imports': ['error', { paths: ['pg', 'express', 'knex', 'kysely'], patterns: ['@mikro-orm/knex', '../api/*'] }],
    },
  },
  // A presenter states the contract type it answers, so a drift between code and contract fails typechecking.
  { files: ['services/*/src/api/*presenters.ts'], rules: { '@typescript-eslint/explicit-module-boundary-types': 'error' } },
  { files: ['services/web/**'], languageOptions: { globals: { ...globals.browser } } },
  { files: ['**/*.js', '**/*.cjs'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
  // Tests and benchmarks read untyped JSON bodies off the wire.
  { files: ['**/test/**', '**/bench/**', 'tests/**', 'packages/testing/**'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
);
