/**
 * A PostgreSQL array literal of values that never need quoting (uuids, numbers, amounts, ISO dates and
 * times, fixed words), built directly: pg's generic conversion quotes and escapes every element, which
 * on a hot path costs more CPU than the statement's own work. Free text must not come here.
 */
export function plainSqlArray<R>(rows: readonly R[], value: (row: R) => string | number | null): string {
  let literal = '{';
  for (let i = 0; i < rows.length; i++) {
    const v = value(rows[i]!);
    literal += (i === 0 ? '' : ',') + (v === null ? 'NULL' : v);
  }
  return literal + '}';
}
