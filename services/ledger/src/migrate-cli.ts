import { createOrm, migrate } from '@esc/service-kit';
import { loadLedgerConfig } from './config';
import { migrations } from './data-access/migrations';

async function main() {
  const config = loadLedgerConfig();
  const orm = await createOrm({ databaseUrl: config.DATABASE_URL, schema: 'ledger', entities: [], migrations });
  await migrate(orm, 'ledger');
  await orm.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
