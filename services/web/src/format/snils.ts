/** СНИЛС as people write it: 112-233-445 95. */
export function formatSnils(snils: string): string {
  const d = snils.replace(/\D/g, '');
  return d.length === 11 ? `${d.slice(0, 3)}-${d.slice(3, 6)}-${d.slice(6, 9)} ${d.slice(9)}` : snils;
}
