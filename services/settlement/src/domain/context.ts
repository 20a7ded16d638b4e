import type { MikroORM } from '@mikro-orm/postgresql';
import type { LedgerClient } from '@esc/ledger-client';
import type { Principal } from '@esc/service-kit';
import type { LedgerAccountsReader } from '../clients/ledger-accounts';
import type { ProviderDirectory } from '../clients/provider-directory';
import type { Payer } from '../config';

/** What settlement's use cases work with, for the life of the process. */
export interface Deps {
  orm: MikroORM;
  ledger: LedgerClient;
  reader: LedgerAccountsReader;
  directory: ProviderDirectory;
  /** The regional finance body that pays; its account is the one statements must be for. */
  payer: Payer;
  /** The IANA time zone of each region: dates in payment files are the region's business date. */
  regionTimeZones: ReadonlyMap<string, string>;
  /** Now; real time unless a test fixes it (approval time, when payment orders are drawn up). */
  clock: () => Date;
}

/** Who the jobs act as: no person asked for the work, the service does it on its own. */
export const SYSTEM_PRINCIPAL: Principal = {
  subject: 'settlement',
  kind: 'service',
  roles: [],
  scopes: [],
  expiresAt: Number.POSITIVE_INFINITY,
};
