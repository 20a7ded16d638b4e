declare module 'pg/lib/utils' {
  /** How node-postgres turns a JavaScript value into a bind parameter's text. */
  export function prepareValue(value: unknown): unknown;
}
