import { sqlOf, type EntityManager } from '@esc/service-kit';
import { AssignmentSchema, PayoutLimitSchema, ProgrammeSettingsSchema, type Assignment, type PayoutLimit, type ProgrammeSettings } from './entities';

export type { Assignment, PayoutLimit, ProgrammeSettings };

/**
 * Serialises the writers of one setting until the transaction ends, so that two first writes of it
 * meet as a read and an update instead of two inserts of one key.
 */
export async function lockSettingKey(em: EntityManager, key: string): Promise<void> {
  await sqlOf(em).run(`select pg_advisory_xact_lock(hashtext($1))`, [`settlement-setting/${key}`]);
}

export async function findPayoutLimit(em: EntityManager, budgetProgrammeId: string, period: string): Promise<PayoutLimit | null> {
  return em.findOne(PayoutLimitSchema, { budgetProgrammeId, period });
}

export function addPayoutLimit(em: EntityManager, limit: PayoutLimit): PayoutLimit {
  const entity = em.create(PayoutLimitSchema, limit);
  em.persist(entity);
  return entity;
}

export async function payoutLimitsOfRegion(em: EntityManager, regionCode: string, period?: string): Promise<PayoutLimit[]> {
  return em.find(PayoutLimitSchema, period === undefined ? { regionCode } : { regionCode, period }, {
    orderBy: { period: 'asc', budgetProgrammeId: 'asc' },
  });
}

export async function findProgrammeSettings(em: EntityManager, budgetProgrammeId: string): Promise<ProgrammeSettings | null> {
  return em.findOne(ProgrammeSettingsSchema, { budgetProgrammeId });
}

export function addProgrammeSettings(em: EntityManager, settings: ProgrammeSettings): ProgrammeSettings {
  const entity = em.create(ProgrammeSettingsSchema, settings);
  em.persist(entity);
  return entity;
}

export async function findAssignment(em: EntityManager, providerId: string, serviceCode: string, period: string): Promise<Assignment | null> {
  return em.findOne(AssignmentSchema, { providerId, serviceCode, period });
}

export function addAssignment(em: EntityManager, assignment: Assignment): Assignment {
  const entity = em.create(AssignmentSchema, assignment);
  em.persist(entity);
  return entity;
}
