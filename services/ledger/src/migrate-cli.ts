import { createOrm, migrate } from '@esc/service-kit';
import { loadLedgerConfig, type LedgerConfig } from './config';
import { migrations } from './data-access/migrations';

export async function migrateLedger(config: LedgerConfig): Promise<void> {
  const orm = await createOrm({ databaseUrl: config.DATABASE_URL, schema: 'ledger', entities: [], migrations });
  try {
    await migrate(orm, 'ledger');
  } finally {
    await orm.close();
  }
}

if (require.main === module) {
  migrateLedger(loadLedgerConfig()).catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
