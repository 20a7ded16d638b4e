import { z } from 'zod';
import { type EntityManager, type EventEnvelope, type Logger, type Principal } from '@esc/service-kit';
import { auditIn, audit } from '../data-access/audit-store';
import { inRawTransaction, onRawConnection } from '../data-access/connections';
import * as standingStore from '../data-access/standing-store';
import type { ProviderStanding, StandingRule, WhenExcluded, WhileSuspended } from '../data-access/standing-store';
import { assertCanReadRegion, assertFinanceOf } from './access';
import type { Deps } from './context';

export type { ProviderStanding, StandingRule, WhenExcluded, WhileSuspended };

/**
 * The registry's provider.admitted / provider.suspended / provider.excluded kept as the provider's
 * standing here. A run leaves out the posted acts of a suspended or excluded provider that the
 * region's rule holds for review (runs.ts); they stay unsettled and a later run pays them once the
 * standing or the rule allows.
 */
export const STANDING_TOPICS = { 'provider.admitted': 'admitted', 'provider.suspended': 'suspended', 'provider.excluded': 'excluded' } as const satisfies Record<string, ProviderStanding>;

/** Who the audit log names for a standing the registry reported. */
const REGISTRY_ACTOR = { subject: 'registry', name: 'Реестр поставщиков (событие)' };

const statusPayload = z.object({ provider_id: z.uuid(), reason: z.string().max(2000).optional().nullable() });

/** Runs in the event consumer's transaction, which records the event as processed: a redelivered event does nothing. */
export function onProviderStatusChanged(logger: Logger) {
  return async (event: EventEnvelope, tx: EntityManager): Promise<void> => {
    const status = STANDING_TOPICS[event.topic as keyof typeof STANDING_TOPICS];
    const parsed = statusPayload.safeParse(event.payload);
    if (!status || !parsed.success || Number.isNaN(Date.parse(event.occurred_at))) {
      logger.warn({ eventId: event.id, topic: event.topic }, 'provider status event with an unusable payload; skipped');
      return;
    }
    const providerId = parsed.data.provider_id;
    const reason = parsed.data.reason?.trim() || null;
    const recorded = await standingStore.recordStanding(tx, { providerId, status, reason, changedAt: event.occurred_at, eventId: event.id });
    if (!recorded) return;
    await auditIn(tx, REGISTRY_ACTOR, {
      action: 'provider_standing.recorded',
      object_type: 'provider',
      object_id: providerId,
      after: { status, reason, changed_at: event.occurred_at, event_id: event.id },
    });
    logger.info({ providerId, status }, 'provider standing recorded');
  };
}

export const DEFAULT_WHILE_SUSPENDED: WhileSuspended = 'hold';
export const DEFAULT_WHEN_EXCLUDED: WhenExcluded = 'pay_delivered_before';

/** The region's rule, or the defaults while its finance body has set none. */
export function effectiveRule(regionCode: string, stored: StandingRule | undefined): StandingRule {
  return stored ?? { regionCode, whileSuspended: DEFAULT_WHILE_SUSPENDED, whenExcluded: DEFAULT_WHEN_EXCLUDED, updatedBy: null, updatedAt: null };
}

/** The rule is set by a finance officer of the region or by an administrator. */
export function assertCanSetRule(principal: Principal, regionCode: string): void {
  if (principal.roles.includes('admin')) return;
  assertFinanceOf(principal, regionCode);
}

export async function getStandingRule(deps: Deps, principal: Principal, input: { regionCode: string }): Promise<StandingRule> {
  assertCanReadRegion(principal, input.regionCode);
  return onRawConnection(deps.orm, async (sql) => effectiveRule(input.regionCode, await standingStore.findStandingRule(sql, input.regionCode)));
}

/**
 * Sets what runs of the region do with acts of suspended and excluded providers. A run in progress
 * keeps the rule it read; the next run applies the new one, so a change never rewrites a settled run.
 */
export async function setStandingRule(
  deps: Deps,
  principal: Principal,
  input: { regionCode: string; whileSuspended: WhileSuspended; whenExcluded: WhenExcluded },
): Promise<StandingRule> {
  assertCanSetRule(principal, input.regionCode);
  return inRawTransaction(deps.orm, async (sql) => {
    const before = effectiveRule(input.regionCode, await standingStore.findStandingRule(sql, input.regionCode));
    const saved = await standingStore.saveStandingRule(sql, { ...input, updatedBy: principal.subject });
    await audit(sql, principal, {
      action: 'standing_rule.set',
      object_type: 'standing_rule',
      object_id: input.regionCode,
      before: { while_suspended: before.whileSuspended, when_excluded: before.whenExcluded },
      after: { while_suspended: saved.whileSuspended, when_excluded: saved.whenExcluded },
    });
    return saved;
  });
}
