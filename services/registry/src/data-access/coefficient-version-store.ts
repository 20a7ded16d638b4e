import { sqlOf, type EntityManager } from '@esc/service-kit';

/** Versions of a correcting coefficient's factor (hand-written SQL). */

export interface CoefficientVersionRow {
  code: string;
  valid_from: string;
  factor: string;
  reason: string;
  created_by: string;
  created_at: string;
}

const COLUMNS = `code, valid_from::text as valid_from, rtrim(rtrim(factor::text, '0'), '.') as factor, reason, created_by, created_at`;

export async function coefficientBase(em: EntityManager, code: string): Promise<{ code: string; name: string; factor: string; created_at: string } | undefined> {
  return sqlOf(em).one(`select code, name, rtrim(rtrim(factor::text, '0'), '.') as factor, created_at from registry.coefficients where code = $1 for update`, [code]);
}

export function coefficientVersions(em: EntityManager, code: string): Promise<CoefficientVersionRow[]> {
  return sqlOf(em).rows(`select ${COLUMNS} from registry.coefficient_versions where code = $1 order by valid_from desc`, [code]);
}

/** Inserts unless a version from that date exists; answers the stored version, or undefined when the date was taken. */
export function insertCoefficientVersion(em: EntityManager, v: { code: string; valid_from: string; factor: string; reason: string; actor: string }): Promise<CoefficientVersionRow | undefined> {
  return sqlOf(em).one(
    `insert into registry.coefficient_versions (code, valid_from, factor, reason, created_by) values ($1, $2::date, $3, $4, $5)
     on conflict (code, valid_from) do nothing returning ${COLUMNS}`,
    [v.code, v.valid_from, v.factor, v.reason, v.actor],
  );
}

export function coefficientVersionFrom(em: EntityManager, code: string, validFrom: string): Promise<CoefficientVersionRow | undefined> {
  return sqlOf(em).one(`select ${COLUMNS} from registry.coefficient_versions where code = $1 and valid_from = $2::date`, [code, validFrom]);
}
