import type { WebStack } from './stack';

/** A call to the registry's API with a demo user's token, as the provider's side of the committee's journey. */
export async function registryAs(stack: WebStack, username: string) {
  const token = await stack.tokenFor(username);
  return async (method: string, path: string, body?: unknown): Promise<any> => {
    const res = await fetch(`${stack.registryUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const json = (await res.json().catch(() => null)) as any;
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
}

/** Today and a date some days on, by the region's calendar, as the round form takes them (дд.мм.гггг). */
export function ruDate(daysFromToday = 0): string {
  return new Intl.DateTimeFormat('ru-RU', { timeZone: 'Europe/Ulyanovsk', day: '2-digit', month: '2-digit', year: 'numeric' }).format(new Date(Date.now() + daysFromToday * 86_400_000));
}
