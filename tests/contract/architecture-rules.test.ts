import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The checks that keep every service in one shape (`pnpm lint`, `pnpm typecheck`) must catch a
 * violation, not merely pass on today's code: each case plants one in a real service folder, runs the
 * real check on it and expects it refused with the rule's own words, then removes it.
 */

const ROOT = join(__dirname, '..', '..');
const BIN = join(ROOT, 'node_modules', '.bin');
const DOMAIN = 'services/certificates/src/domain';
const API = 'services/certificates/src/api';

function run(command: string, args: string[]) {
  const result = spawnSync(join(BIN, command), args, { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

function planted(files: Record<string, string>, check: () => void) {
  const paths = Object.keys(files).map((name) => join(ROOT, name));
  try {
    Object.entries(files).forEach(([name, text]) => writeFileSync(join(ROOT, name), text));
    check();
  } finally {
    paths.forEach((path) => rmSync(path, { force: true }));
  }
}

const eslint = (file: string) => run('eslint', ['--no-warn-ignored', file]);
const depcruise = (dir: string) => run('depcruise', [dir, '--config', '.dependency-cruiser.cjs', '--output-type', 'err']);

test('When a domain file holds SQL or calls the database, then eslint refuses it', () => {
  const file = `${DOMAIN}/planted-sql.ts`;
  planted(
    {
      [file]: [
        "import type { EntityManager } from '@esc/service-kit';",
        'export async function lockedCertificate(em: EntityManager, id: string) {',
        "  return em.getConnection().execute(`select * from certificates.certificates where id = ? for update`, [id]);",
        '}',
        "export const RELEASE = 'update certificates.bookings set status = $1 where id = $2';",
      ].join('\n'),
    },
    () => {
      const { status, output } = eslint(file);
      expect(status).toBe(1);
      expect(output.match(/SQL belongs in a store under src\/data-access/g)).toHaveLength(2);
      expect(output).toContain('The domain reaches the database only through the stores');
    },
  );
});

test('When the domain imports Express or the driver, or two modules import each other, then the dependency rules refuse it', () => {
  planted(
    {
      [`${DOMAIN}/planted-cycle-a.ts`]: "import { b } from './planted-cycle-b';\nimport type { Request } from 'express';\nimport { Pool } from 'pg';\nexport const a = (r: Request) => b + String(r.path) + String(Pool);\n",
      [`${DOMAIN}/planted-cycle-b.ts`]: "import { a } from './planted-cycle-a';\nexport const b = String(a);\n",
    },
    () => {
      const { status, output } = depcruise(DOMAIN);
      expect(status).not.toBe(0);
      expect(output).toMatch(/no-cycles: services\/certificates\/src\/domain\/planted-cycle-a\.ts/);
      expect(output).toMatch(/domain-not-to-express-or-driver: services\/certificates\/src\/domain\/planted-cycle-a\.ts → node_modules\/.*express/);
      expect(output).toMatch(/domain-not-to-express-or-driver: services\/certificates\/src\/domain\/planted-cycle-a\.ts → node_modules\/.*pg/);
    },
  );
});

test('When a route reaches into data-access or the domain into the api, then the dependency rules refuse it', () => {
  planted(
    {
      [`${API}/planted-route.ts`]: "export * from '../data-access/migrations';\n",
      [`${DOMAIN}/planted-view.ts`]: "export * from '../api/schemas';\n",
    },
    () => {
      const { status, output } = depcruise('services/certificates/src');
      expect(status).not.toBe(0);
      expect(output).toMatch(/api-not-to-data-access: services\/certificates\/src\/api\/planted-route\.ts/);
      expect(output).toMatch(/domain-not-to-api: services\/certificates\/src\/domain\/planted-view\.ts/);
    },
  );
});

test('When a presenter drifts from the contract, then typechecking refuses it', () => {
  const dir = mkdtempSync(join(ROOT, 'services', 'certificates', 'planted-'));
  try {
    writeFileSync(
      join(dir, 'presenter.ts'),
      [
        "import type { certificates } from '@esc/api-types';",
        "type Schemas = certificates.components['schemas'];",
        "export function certificateView(row: { id: string; number: string; value: number }): Pick<Schemas['Certificate'], 'id' | 'number' | 'value'> {",
        '  return { id: row.id, number: row.number, value: row.value };',
        '}',
      ].join('\n'),
    );
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ extends: '../../../tsconfig.base.json', include: ['presenter.ts'] }));
    const { status, output } = run('tsc', ['-p', join(dir, 'tsconfig.json')]);
    expect(status).not.toBe(0);
    expect(output).toMatch(/presenter\.ts\(4,\d+\): error TS2322: Type 'number' is not assignable to type 'string'/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
