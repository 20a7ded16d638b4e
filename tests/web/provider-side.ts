import type { WebStack } from './stack';

export const ZABOTA_ID = '6e9de740-d447-49a2-a48f-a219e95a9be5';

/** The provider's side of a journey, through the certificates API with the provider admin's token. */
export async function asProvider(stack: WebStack) {
  const token = await stack.tokenFor('zabota-admin');
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${stack.certificatesUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const json = (await res.json().catch(() => null)) as any;
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  return {
    /** The newest booking awaiting the provider's answer for a service. */
    async pendingBooking(serviceCode: string): Promise<{ id: string; units: number; certificate_id: string }> {
      const list = await call('GET', `/v1/providers/${ZABOTA_ID}/bookings?status=requested`);
      const booking = list.items.find((b: any) => b.service_code === serviceCode);
      if (!booking) throw new Error(`no requested booking for ${serviceCode}: ${JSON.stringify(list.items)}`);
      return booking;
    },
    accept: (bookingId: string) => call('POST', `/v1/bookings/${bookingId}/accept`),
    decline: (bookingId: string, reason: string) => call('POST', `/v1/bookings/${bookingId}/decline`, { code: 'no_staff_in_area', reason }),
    recordAct: (bookingId: string, deliveredOn: string, units: number) =>
      call('POST', `/v1/bookings/${bookingId}/deliveries`, { delivered_on: deliveredOn, units, staff: { name: 'Попова Анна Сергеевна', position: 'социальный работник' } }),
  };
}

/** Today in the region (Ulyanovsk, UTC+4) as YYYY-MM-DD, the business date the services use. */
export const todayInRegion = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Ulyanovsk' }).format(new Date());

/** A certificate as the region's case worker reads it through the API. */
export async function certificateAsCaseworker(stack: WebStack, id: string): Promise<any> {
  const res = await fetch(`${stack.certificatesUrl}/v1/certificates/${id}`, { headers: { authorization: `Bearer ${await stack.tokenFor('caseworker-73')}` } });
  if (!res.ok) throw new Error(`certificate ${id}: ${res.status}`);
  return res.json();
}
