import type { MikroORM } from '@mikro-orm/postgresql';
import type { Principal } from '@esc/service-kit';
import type { LedgerClient } from '@esc/ledger-client';
import type { RegistryClient } from '../clients/registry-client';

/**
 * Puts a bulk issue on the job queue; the job id is the bulk issue id, so enqueueing twice runs it
 * once. A job that failed for good is retried.
 */
export interface BulkIssueQueue {
  enqueue(bulkIssueId: string): Promise<void>;
}

/** What the use cases need from outside: the database, the ledger, the registry and the service's settings. */
export interface Deps {
  orm: MikroORM;
  ledger: LedgerClient;
  registry: RegistryClient;
  settings: {
    confirmationWindowSeconds: number;
    holdGraceSeconds: number;
    /** An act's hold with no act under its id this long after it was placed is voided as abandoned. */
    abandonedHoldAfterSeconds: number;
  };
  /** The IANA time zone of each region (REGION_TIME_ZONES): "today" is the region's own date. */
  regionTimeZones: ReadonlyMap<string, string>;
  /** Now; tests fix it. */
  clock: () => Date;
  /** Where accepted bulk issue files wait for the job; absent where no queue is connected. */
  bulkIssueQueue?: BulkIssueQueue;
}

/** Who the jobs act as: nobody called them, the service runs them on its own schedule. */
export const SYSTEM_PRINCIPAL: Principal = { subject: 'system:certificates', kind: 'service', roles: [], scopes: [], expiresAt: Number.POSITIVE_INFINITY };
