import type { Principal } from '@esc/service-kit';
import { assertAppealAllowed, assertApplicationWindowOpen, assertCanReadApplication, publicRoundStatus, type Application } from '../../src/domain/round-model';

const principal = (overrides: Partial<Principal>): Principal => ({ subject: 'user:1', kind: 'user', roles: [], scopes: [], expiresAt: 0, ...overrides });
const PROVIDER = '6e9de740-d447-49a2-a48f-a219e95a9be5';
const providerAdmin = principal({ roles: ['provider_admin'], providerId: PROVIDER });
const ZONE = 'Europe/Ulyanovsk';

describe('The application window', () => {
  const window = { applications_open_at: new Date('2027-03-01T07:00:00.000Z'), applications_close_at: new Date('2027-03-10T21:00:00.000Z') };

  it('When a provider applies at the opening or the closing moment, then it is accepted', () => {
    expect(() => assertApplicationWindowOpen(window, window.applications_open_at, ZONE)).not.toThrow();
    expect(() => assertApplicationWindowOpen(window, window.applications_close_at, ZONE)).not.toThrow();
  });

  it('When a provider applies a millisecond early or late, then 409 application_window_closed gives the window by the region’s clock, marked against Moscow’s, and says which', () => {
    const early = () => assertApplicationWindowOpen(window, new Date(window.applications_open_at.getTime() - 1), ZONE);
    expect(early).toThrow(
      expect.objectContaining({
        code: 'application_window_closed',
        kind: 'conflict',
        extensions: { applications_open_at: '2027-03-01T07:00:00.000Z', applications_close_at: '2027-03-10T21:00:00.000Z' },
        detail: 'Заявки в этот отбор принимаются с 01.03.2027, 11:00 (МСК+1) по 11.03.2027, 01:00 (МСК+1); сейчас приём ещё не начался.',
      }),
    );
    expect(() => assertApplicationWindowOpen(window, new Date(window.applications_close_at.getTime() + 1), ZONE)).toThrow(expect.objectContaining({ detail: expect.stringMatching(/завершён\.$/) }));
  });
});

describe('Appeals', () => {
  const refused = (deadline: string): Pick<Application, 'provider_id' | 'status' | 'decision'> => ({
    provider_id: PROVIDER,
    status: 'refused',
    decision: {
      outcome: 'refused',
      criteria: [],
      total_points: null,
      threshold: '0',
      decided_by: 'system:formal-check',
      decided_at: '2027-03-01T07:00:00.000Z',
      refusal: { code: 'formal_criteria_failed', reason: '…', what_to_fix: [], appeal_deadline: deadline, how_to_appeal: '…' },
    },
  });
  const deadline = '2027-03-11T07:00:00.000Z';

  it('When the provider’s admin appeals at the deadline itself, then it is allowed; a millisecond later it is 409 with the deadline by the region’s clock', () => {
    expect(() => assertAppealAllowed(providerAdmin, refused(deadline), new Date(deadline), ZONE)).not.toThrow();
    expect(() => assertAppealAllowed(providerAdmin, refused(deadline), new Date(Date.parse(deadline) + 1), ZONE)).toThrow(
      expect.objectContaining({ code: 'appeal_window_closed', extensions: { appeal_deadline: deadline }, detail: 'Срок подачи апелляции истёк 11.03.2027, 11:00 (МСК+1).' }),
    );
  });

  it('When someone other than the applicant’s admin appeals, then 403, even the committee', () => {
    for (const who of [principal({ roles: ['provider_admin'], providerId: 'another' }), principal({ roles: ['provider_staff'], providerId: PROVIDER }), principal({ roles: ['committee'] })]) {
      expect(() => assertAppealAllowed(who, refused(deadline), new Date('2027-03-02'), ZONE)).toThrow(expect.objectContaining({ kind: 'forbidden', code: 'not_your_application' }));
    }
  });

  it('When the application is not refused (awaiting, admitted, already appealed), then 409 appeal_not_allowed with its status', () => {
    for (const status of ['awaiting_scoring', 'admitted', 'appealed', 'appeal_rejected'] as const) {
      expect(() => assertAppealAllowed(providerAdmin, { ...refused(deadline), status }, new Date('2027-03-02'), ZONE)).toThrow(
        expect.objectContaining({ code: 'appeal_not_allowed', extensions: { application_status: status } }),
      );
    }
    expect(() => assertAppealAllowed(providerAdmin, { ...refused(deadline), decision: null }, new Date('2027-03-02'), ZONE)).toThrow(expect.objectContaining({ code: 'appeal_not_allowed' }));
  });

  it('When an application is read, then the committee, admins, auditors and its own provider may; another provider may not', () => {
    for (const who of [principal({ roles: ['committee'] }), principal({ roles: ['auditor'] }), principal({ roles: ['admin'] }), principal({ roles: ['provider_staff'], providerId: PROVIDER })]) {
      expect(() => assertCanReadApplication(who, { provider_id: PROVIDER })).not.toThrow();
    }
    expect(() => assertCanReadApplication(principal({ roles: ['provider_admin'], providerId: 'another' }), { provider_id: PROVIDER })).toThrow(expect.objectContaining({ code: 'not_your_application' }));
  });
});

describe('publicRoundStatus', () => {
  const window = { applications_open_at: '2027-03-01T07:00:00.000Z', applications_close_at: '2027-03-10T21:00:00.000Z' };
  const after = new Date('2027-03-10T21:00:00.001Z');

  it('When the window has not opened, is open (ends included) or has closed, then upcoming, open, or closed/decided', () => {
    expect(publicRoundStatus(window, { applications: 0, pending: 0 }, new Date('2027-03-01T06:59:59.999Z'))).toBe('upcoming');
    expect(publicRoundStatus(window, { applications: 3, pending: 0 }, new Date(window.applications_open_at))).toBe('open');
    expect(publicRoundStatus(window, { applications: 3, pending: 0 }, new Date(window.applications_close_at))).toBe('open');
    expect(publicRoundStatus(window, { applications: 3, pending: 0 }, after)).toBe('decided');
  });

  it('When the window has closed with something left to decide or nobody applied, then the round stays closed', () => {
    expect(publicRoundStatus(window, { applications: 3, pending: 1 }, after)).toBe('closed');
    expect(publicRoundStatus(window, { applications: 0, pending: 0 }, after)).toBe('closed');
  });
});
