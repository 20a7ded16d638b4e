/**
 * A PostgreSQL array literal for a `?::text[]` binding: the query builder expands JS arrays into
 * comma-separated lists, which `any(...)` and array columns cannot take.
 */
export function pgTextArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}
