/**
 * `pnpm audit:verify`: recomputes the audit log's hash chain of every service in the marketplace's
 * database (DATABASE_URL, else the one `pnpm start` uses) and exits 1 naming the first broken record.
 */
import { Client } from 'pg';
import { sqlOn, verifyAuditLog } from '@esc/service-kit';
import { ensurePostgres } from './backing-services';

const AUDITED_SCHEMAS = ['registry', 'certificates', 'settlement'];

async function main(): Promise<number> {
  const { url } = await ensurePostgres();
  const client = new Client({ connectionString: url });
  await client.connect();
  let broken = 0;
  try {
    for (const schema of AUDITED_SCHEMAS) {
      const exists = await client.query(`select 1 from information_schema.tables where table_schema = $1 and table_name = 'audit_log'`, [schema]);
      if (!exists.rowCount) {
        console.log(`${schema}: no audit log yet (the service has not started on this database)`);
        continue;
      }
      const result = await verifyAuditLog(sqlOn(client as unknown as Parameters<typeof sqlOn>[0]), schema);
      if (result.broken) {
        broken += 1;
        const { seq, reason, expected, found } = result.broken;
        console.log(`${schema}: BROKEN at record ${seq} (${reason}): expected ${expected}, found ${found}; ${result.records - 1} records before it hold`);
      } else {
        console.log(`${schema}: ${result.records} records, chain holds, head ${result.head_hash}`);
      }
    }
  } finally {
    await client.end();
  }
  return broken ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(2);
  },
);
