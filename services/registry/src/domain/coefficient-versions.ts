import { Decimal } from 'decimal.js';
import { conflict, notFound, withTransaction, type Principal } from '@esc/service-kit';
import * as store from '../data-access/coefficient-version-store';
import type { Deps } from './deps';

/**
 * A correcting coefficient's factor changes by versions from a date, each with its reason; unit costs
 * on a date use the newest version from on or before it, and the factor the coefficient was created
 * with before the first version. Published versions never change.
 */

export type CoefficientVersion = store.CoefficientVersionRow;

export interface CoefficientHistory {
  code: string;
  name: string;
  /** The factor the coefficient was created with, in force before its first version. */
  base_factor: string;
  created_at: string;
  versions: CoefficientVersion[];
}

const coefficientNotFound = (code: string) => notFound('coefficient_not_found', `Корректирующего коэффициента с кодом ${code} нет.`, { code });

export async function coefficientHistory(deps: Deps, _principal: Principal, input: { code: string }): Promise<CoefficientHistory> {
  const em = deps.orm.em.fork();
  const base = await store.coefficientBase(em, input.code);
  if (!base) throw coefficientNotFound(input.code);
  return { code: base.code, name: base.name, base_factor: base.factor, created_at: new Date(base.created_at).toISOString(), versions: await store.coefficientVersions(em, input.code) };
}

/** The same version again (date, factor and reason) answers the first publication; another one from a taken date is 409. */
export async function publishCoefficientVersion(
  deps: Deps,
  principal: Principal,
  input: { code: string; valid_from: string; factor: string; reason: string },
): Promise<{ version: CoefficientVersion; created: boolean }> {
  return withTransaction(deps.orm.em.fork(), async (tx) => {
    if (!(await store.coefficientBase(tx, input.code))) throw coefficientNotFound(input.code);
    const inserted = await store.insertCoefficientVersion(tx, { ...input, actor: principal.subject });
    if (inserted) return { version: inserted, created: true };
    const existing = (await store.coefficientVersionFrom(tx, input.code, input.valid_from))!;
    if (new Decimal(existing.factor).eq(input.factor) && existing.reason === input.reason) return { version: existing, created: false };
    throw conflict(
      'coefficient_version_exists',
      `Версия коэффициента ${input.code} с ${input.valid_from} уже опубликована (${existing.factor}); опубликованные версии не меняются — укажите другую дату начала действия.`,
      { code: input.code, valid_from: input.valid_from, factor: existing.factor },
    );
  });
}
