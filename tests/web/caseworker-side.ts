import type { WebStack } from './stack';

/** A SNILS with a valid check number, different on every call of a run. */
let counter = 5_000_000 + Math.floor(Math.random() * 3_000_000);
export function freshSnils(): string {
  const body = String(++counter * 100 + 3).padStart(9, '0').slice(-9);
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(body[i]) * (9 - i);
  let check = sum < 100 ? sum : sum % 101;
  if (check === 100) check = 0;
  return body + String(check).padStart(2, '0');
}

/** The case worker's side of the set-up, through the certificates API: a person applies, an assessment is opened. */
export async function asCaseworker(stack: WebStack) {
  const token = await stack.tokenFor('caseworker-73');
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
    /** A person whose income is above the limit (so the fee is capped, not free), with an assessment opened on their application. */
    async applicant(lastName: string, firstName: string): Promise<{ recipientId: string; assessmentId: string; snils: string }> {
      const snils = freshSnils();
      const recipient = await call('POST', '/v1/recipients', {
        snils,
        region_code: '73',
        last_name: lastName,
        first_name: firstName,
        middle_name: 'Сергеевна',
        birth_date: '1944-05-09',
        district_code: '73701000',
        address: 'г. Ульяновск, ул. Радищева, д. 5, кв. 7',
        own_income: '30000.00',
        categories: [],
        household: [{ relation: 'супруг', full_name: `${lastName.replace(/а$/, '')} Николай Петрович`, monthly_income: '16666.66' }],
      });
      const assessment = await call('POST', '/v1/assessments', { recipient_id: recipient.id, reason: 'Заявление о социальном обслуживании на дому' });
      return { recipientId: recipient.id, assessmentId: assessment.id, snils };
    },
    /** Recognised, with a programme of 20 hours a month of household help for 6 months: ready to issue. */
    async drawn(assessmentId: string): Promise<void> {
      await call('POST', `/v1/assessments/${assessmentId}/decision`, { decision: 'recognised' });
      await call('POST', `/v1/assessments/${assessmentId}/programme`, { lines: [{ service_code: 'HOME-HOUSEHOLD-HOUR', volume_per_month: 20, months: 6 }] });
    },
  };
}

const HEADER = 'snils;last_name;first_name;middle_name;birth_date;district_code;address;own_income;categories;service_code;volume_per_month;months';

/** A bulk file: two people who get certificates, and three rows that fail (a broken SNILS, a volume beyond the standard, an unknown service). */
export function bulkFile(): string {
  const row = (snils: string, last: string, service = 'HOME-HOUSEHOLD-HOUR', volume = '20') =>
    [snils, last, 'Анна', 'Ивановна', '12.03.1948', '73701000', 'г. Ульяновск, ул. Минаева, д. 10', '14000', '', service, volume, '6'].join(';');
  const broken = freshSnils();
  return [
    HEADER,
    row(freshSnils(), 'Белова'),
    row(freshSnils(), 'Волкова'),
    row(`${broken.slice(0, 9)}${String((Number(broken.slice(9)) + 1) % 100).padStart(2, '0')}`, 'Гусева'),
    row(freshSnils(), 'Давыдова', 'HOME-PSYCH-VISIT', '9'),
    row(freshSnils(), 'Ершова', 'NO-SUCH-SERVICE'),
  ].join('\r\n');
}
