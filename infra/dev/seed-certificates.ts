import { call as request, demoSignIn, describeProblem, uuidV5 } from './seed-demo';

/**
 * Demo data of the certificates service for region 73, through its HTTP API as the people who would
 * enter it: finance sets the regional parameters and funds a programme, a case worker issues
 * certificates to the two demo citizens, Ivanova books «Забота» and the provider accepts.
 * Fixed ids make a second run change nothing.
 */

export const DEFAULT_CERTIFICATES_URL = 'http://127.0.0.1:4003';
const REGION = '73';
const ZABOTA_ID = '6e9de740-d447-49a2-a48f-a219e95a9be5';
export const DEMO_BUDGET_PROGRAMME_ID = uuidV5('certificates/budget-programme/du-2026');

const CITIZENS = [
  {
    key: 'ivanova',
    snils: '11223344595',
    last_name: 'Иванова',
    first_name: 'Мария',
    middle_name: 'Петровна',
    birth_date: '1948-03-12',
    address: 'г. Ульяновск, ул. Минаева, д. 10, кв. 5',
    own_income: '14000.00',
    household: [],
    lines: [{ service_code: 'HOME-HOUSEHOLD-HOUR', volume_per_month: 20, months: 6 }],
  },
  {
    key: 'smirnov',
    snils: '12345678964',
    last_name: 'Смирнов',
    first_name: 'Алексей',
    middle_name: 'Игоревич',
    birth_date: '1956-09-30',
    address: 'г. Ульяновск, ул. Гончарова, д. 40, кв. 12',
    own_income: '30000.00',
    household: [{ relation: 'супруга', full_name: 'Смирнова Ольга Ивановна', monthly_income: '16666.66' }],
    lines: [
      { service_code: 'HOME-HOUSEHOLD-HOUR', volume_per_month: 20, months: 6 },
      { service_code: 'HOME-PSYCH-VISIT', volume_per_month: 4, months: 3 },
    ],
  },
] as const;

export const demoCertificateId = (key: string) => uuidV5(`certificates/certificate/${key}`);

/** The fields of the answers the seed reads. */
interface ApiBody {
  id: string;
  code?: string;
  detail?: string;
  recipient_id?: string;
  assessment_id?: string;
  number?: string;
  value?: string;
  fee_amount?: string;
  units?: number;
  services: Array<{ line_id: string }>;
}
type Answer = { status: number; body: ApiBody };
type Call = (method: string, path: string, as: string, body?: unknown) => Promise<Answer>;

export async function seedCertificates(options: { gatewayUrl: string; certificatesUrl?: string; log?: (line: string) => void }): Promise<void> {
  const base = options.certificatesUrl ?? process.env.CERTIFICATES_URL ?? DEFAULT_CERTIFICATES_URL;
  const log = options.log ?? ((line: string) => console.log(line));
  const signIn = demoSignIn(options.gatewayUrl);
  const call: Call = async (method, path, as, body) => {
    const res = await request(method, `${base}${path}`, body, await signIn(as));
    return { status: res.status, body: (res.body ?? {}) as ApiBody };
  };
  const expect = (res: Answer, ok: number[], what: string) => {
    if (!ok.includes(res.status)) throw new Error(`${what}: ${res.status} ${describeProblem(res.body)}`);
    return res.body;
  };

  log('Сертификаты / certificates:');
  const parameters = await call('POST', `/v1/regions/${REGION}/parameters`, 'finance-73-a', { valid_from: '2026-01-01', subsistence_minimum: '15000.00', limit_coefficient: '1.5' });
  if (parameters.status !== 201 && parameters.body?.code !== 'parameters_version_exists') expect(parameters, [201], 'regional parameters');
  log(`  ${parameters.status === 201 ? 'created' : 'exists '}  параметры региона 73: ПМ 15 000,00 ₽, коэффициент 1,5`);
  const programme = await call('GET', `/v1/budget-programmes/${DEMO_BUDGET_PROGRAMME_ID}`, 'finance-73-a');
  if (programme.status === 404) {
    expect(
      await call('POST', '/v1/budget-programmes', 'finance-73-a', { id: DEMO_BUDGET_PROGRAMME_ID, region_code: REGION, code: 'СЕРТ-ДУ-2026', name: 'Сертификаты: долговременный уход 2026', year: 2026 }),
      [201],
      'budget programme',
    );
  }
  expect(
    await call('POST', `/v1/budget-programmes/${DEMO_BUDGET_PROGRAMME_ID}/funding`, 'finance-73-a', { id: uuidV5('certificates/funding/du-2026'), amount: '10000000.00' }),
    [200],
    'funding',
  );
  log(`  ${programme.status === 404 ? 'created' : 'exists '}  программа «Сертификаты: долговременный уход 2026», 10 000 000,00 ₽`);

  for (const citizen of CITIZENS) {
    const certificateId = demoCertificateId(citizen.key);
    if ((await call('GET', `/v1/certificates/${certificateId}`, 'caseworker-73')).status === 200) {
      log(`  exists   сертификат ${citizen.last_name}`);
      continue;
    }
    const { key: _key, lines, ...person } = citizen;
    const registered = await call('POST', '/v1/recipients', 'caseworker-73', { ...person, region_code: REGION, district_code: '73701000' });
    const recipientId = registered.status === 409 ? registered.body.recipient_id : expect(registered, [201], 'recipient').id;
    const opened = await call('POST', '/v1/assessments', 'caseworker-73', { recipient_id: recipientId, reason: 'Заявление о социальном обслуживании на дому' });
    const assessmentId = opened.status === 409 ? opened.body.assessment_id : expect(opened, [201], 'assessment').id;
    await call('POST', `/v1/assessments/${assessmentId}/decision`, 'caseworker-73', { decision: 'recognised' });
    const drawn = expect(await call('POST', `/v1/assessments/${assessmentId}/programme`, 'caseworker-73', { lines }), [201], 'programme');
    const certificate = expect(
      await call('POST', '/v1/certificates', 'caseworker-73', { id: certificateId, programme_id: drawn.id, budget_programme_id: DEMO_BUDGET_PROGRAMME_ID }),
      [201],
      'certificate',
    );
    log(`  created  сертификат ${certificate.number} — ${citizen.last_name}: ${certificate.value} ₽ (плата по 442-ФЗ ${certificate.fee_amount} ₽)`);
    if (citizen.key === 'ivanova') {
      const booking = expect(
        await call('POST', `/v1/certificates/${certificateId}/bookings`, 'citizen-ivanova', { line_id: certificate.services[0]!.line_id, provider_id: ZABOTA_ID }),
        [201],
        'booking',
      );
      expect(await call('POST', `/v1/bookings/${booking.id}/accept`, 'zabota-admin'), [200], 'accept booking');
      log(`  created  запись Ивановой к «Забота» принята: ${booking.units} ч`);
    }
  }
}
