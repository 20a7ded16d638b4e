/** `pnpm --filter ledger verify`: checks the ledger's invariants and exits non-zero when any fails. */
import { createOrm } from '@esc/service-kit';
import { loadLedgerConfig } from './config';
import { migrations } from './data-access/migrations';
import { checkInvariants } from './data-access/invariants-store';

async function main() {
  const config = loadLedgerConfig();
  const orm = await createOrm({ databaseUrl: config.DATABASE_URL, schema: 'ledger', entities: [], migrations });
  try {
    const report = await checkInvariants(orm.em.fork());
    console.log(`Ledger invariants at ${report.checked_at}: ${report.accounts} accounts, ${report.transfers} transfers, ${report.entries} entries`);
    for (const check of report.checks) {
      console.log(`${check.ok ? 'ok  ' : 'FAIL'} ${check.name}: ${check.detail}`);
      for (const v of check.violations) console.log(`       ${JSON.stringify(v)}`);
    }
    process.exitCode = report.ok ? 0 : 1;
  } finally {
    await orm.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(2);
});
