import { LedgerClient, ledgerAccountIds } from '@esc/ledger-client';
import { Money } from '@esc/money';
import { completeInterrupted } from '../src/jobs/schedules';
import { expireDue } from '../src/domain/certificates';
import { SYSTEM_PRINCIPAL } from '../src/domain/context';
import { fundRegion, issueFor, ledgerAccount, nextSnils, startCertificates, type CertificatesHarness } from './harness';

/**
 * Issue 17: the business date is the region's own (Ulyanovsk is UTC+4, not Moscow's UTC+3), and the
 * balance of a revoked certificate goes back to its allocation even when the ledger refused it at first.
 */
let h: CertificatesHarness;
let now: Date | undefined;
let budgetProgrammeId: string;

beforeAll(async () => {
  h = await startCertificates('certificates-business-dates', {}, {}, { clock: () => now ?? new Date() });
  budgetProgrammeId = await fundRegion(h);
}, 120_000);

afterAll(async () => {
  await h?.stop();
});

const balance = (a: { credits_posted: string; debits_posted: string }) => Money.parse(a.credits_posted).subtract(Money.parse(a.debits_posted)).toString();

describe('Dates in the region’s own time zone', () => {
  test('When it is 20:30 UTC on a region 73 certificate’s last day, then it is already the next day in Ulyanovsk: the cabinet shows no days left and the expiry job ends it', async () => {
    now = undefined;
    const { certificate } = await issueFor(h, budgetProgrammeId);
    const validTo: string = certificate.general.valid_to;
    // 23:30 in Moscow (still the last day there), 00:30 of the next day in Ulyanovsk.
    now = new Date(`${validTo}T20:30:00Z`);
    const cabinet = await (await h.as('citizen-ivanova')).get('/v1/me/certificates');
    expect(cabinet.status).toBe(200);
    expect(cabinet.body.items.find((c: any) => c.id === certificate.id)).toMatchObject({ status: 'issued', expires_in_days: 0 });

    expect(await expireDue(h.service.deps, SYSTEM_PRINCIPAL, {})).toBe(1);
    const read = await (await h.as('caseworker-73')).get(`/v1/certificates/${certificate.id}`);
    expect(read.status).toBe(200);
    expect(read.body.status).toBe('expired');
    // Its balance went back with the expiry.
    expect(balance(await ledgerAccount(h, ledgerAccountIds.certificate(certificate.id)))).toBe('0.00');
  }, 60_000);

  test('When it is 19:30 UTC on the last day, then it is still that day in Ulyanovsk: one day left and nothing expires', async () => {
    now = undefined;
    const { certificate } = await issueFor(h, budgetProgrammeId, { recipient: { snils: nextSnils() } });
    now = new Date(`${certificate.general.valid_to}T19:30:00Z`);
    expect(await expireDue(h.service.deps, SYSTEM_PRINCIPAL, {})).toBe(0);
    const read = await (await h.as('caseworker-73')).get(`/v1/certificates/${certificate.id}`);
    expect(read.body.status).toBe('issued');
  }, 60_000);
});

describe('A release the ledger refused is completed later', () => {
  test('When the ledger is down during a revoke, then the revoke still answers, and the recovery job returns the balance to the allocation once, however often it runs', async () => {
    now = undefined;
    const { certificate } = await issueFor(h, budgetProgrammeId, { recipient: { snils: nextSnils() } });
    const certificateAccount = ledgerAccountIds.certificate(certificate.id);
    const allocationAccount = ledgerAccountIds.budgetAllocation(budgetProgrammeId);
    const value: string = certificate.value;
    const allocationBefore = balance(await ledgerAccount(h, allocationAccount));
    expect(balance(await ledgerAccount(h, certificateAccount))).toBe(value);

    const live = h.service.deps.ledger;
    h.service.deps.ledger = new LedgerClient({ baseUrl: 'http://127.0.0.1:9', token: async () => 'none', timeoutMs: 500 });
    let revoked;
    try {
      revoked = await (await h.as('caseworker-73')).post(`/v1/certificates/${certificate.id}/revoke`, { reason: 'Получатель переехал' });
    } finally {
      h.service.deps.ledger = live;
    }
    expect(revoked.status).toBe(200);
    expect(revoked.body.status).toBe('revoked');
    // The money is still on the dead certificate.
    expect(balance(await ledgerAccount(h, certificateAccount))).toBe(value);

    expect(await completeInterrupted(h.service.deps, SYSTEM_PRINCIPAL, { olderThanSeconds: 0 })).toBe(1);
    expect(await completeInterrupted(h.service.deps, SYSTEM_PRINCIPAL, { olderThanSeconds: 0 })).toBe(0);

    expect(balance(await ledgerAccount(h, certificateAccount))).toBe('0.00');
    expect(balance(await ledgerAccount(h, allocationAccount))).toBe(Money.parse(allocationBefore).add(Money.parse(value)).toString());
    const read = await (await h.as('caseworker-73')).get(`/v1/certificates/${certificate.id}`);
    expect(read.body).toMatchObject({ status: 'revoked' });
  }, 60_000);

  test('When the ledger took a release but its answer was lost, then the job records that release instead of moving the money again', async () => {
    now = undefined;
    const { certificate } = await issueFor(h, budgetProgrammeId, { recipient: { snils: nextSnils() } });
    const certificateAccount = ledgerAccountIds.certificate(certificate.id);
    const allocationAccount = ledgerAccountIds.budgetAllocation(budgetProgrammeId);
    const value: string = certificate.value;
    const allocationBefore = balance(await ledgerAccount(h, allocationAccount));

    const live = h.service.deps.ledger;
    // The transfer reaches the ledger; the answer never comes back.
    h.service.deps.ledger = Object.assign(Object.create(live), {
      transfer: async (input: Parameters<LedgerClient['transfer']>[0]) => {
        await live.transfer(input);
        throw new Error('socket hang up');
      },
    });
    let revoked;
    try {
      revoked = await (await h.as('caseworker-73')).post(`/v1/certificates/${certificate.id}/revoke`, { reason: 'Получатель умер' });
    } finally {
      h.service.deps.ledger = live;
    }
    expect(revoked.status).toBe(200);
    expect(balance(await ledgerAccount(h, certificateAccount))).toBe('0.00');

    expect(await completeInterrupted(h.service.deps, SYSTEM_PRINCIPAL, { olderThanSeconds: 0 })).toBe(1);
    expect(await completeInterrupted(h.service.deps, SYSTEM_PRINCIPAL, { olderThanSeconds: 0 })).toBe(0);
    expect(balance(await ledgerAccount(h, allocationAccount))).toBe(Money.parse(allocationBefore).add(Money.parse(value)).toString());
    const [row] = await h.service.orm.em.fork().execute(`select released_amount::text as released, releases, release_pending_since from certificates.certificates where id = ?`, [certificate.id]);
    expect(row).toMatchObject({ released: value, releases: 1, release_pending_since: null });
  }, 60_000);
});
