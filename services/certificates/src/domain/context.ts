import type { MikroORM } from '@mikro-orm/postgresql';
import type { LedgerClient } from '@esc/ledger-client';
import type { RegistryClient } from '../clients/registry-client';

/** What the use cases need from outside: the database, the ledger, the registry and the service's settings. */
export interface Deps {
  orm: MikroORM;
  ledger: LedgerClient;
  registry: RegistryClient;
  settings: {
    confirmationWindowSeconds: number;
    holdGraceSeconds: number;
  };
}
