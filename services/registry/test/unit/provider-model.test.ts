import type { Principal } from '@esc/service-kit';
import {
  assertCanRead,
  assertDecidesForRegion,
  assertOwnAdmin,
  assertTransitionAllowed,
  dateDeclarations,
  PROVIDER_STATUSES,
  registrant,
  registrationConflict,
  statusTopic,
  withdrawsAdmission,
  type ProviderStatus,
} from '../../src/domain/provider-model';

const principal = (overrides: Partial<Principal>): Principal => ({ subject: 'user:1', kind: 'user', roles: [], scopes: [], expiresAt: 0, ...overrides });
const OWN = '6e9de740-d447-49a2-a48f-a219e95a9be5';

describe('Status transitions', () => {
  const allowed: Array<[ProviderStatus, ProviderStatus]> = [
    ['applicant', 'under_review'],
    ['applicant', 'excluded'],
    ['under_review', 'admitted'],
    ['under_review', 'applicant'],
    ['under_review', 'excluded'],
    ['admitted', 'suspended'],
    ['admitted', 'excluded'],
    ['suspended', 'admitted'],
    ['suspended', 'excluded'],
  ];

  it('When every pair of statuses is tried, then exactly the allowed ones pass', () => {
    for (const from of PROVIDER_STATUSES) {
      for (const to of PROVIDER_STATUSES) {
        const ok = allowed.some(([f, t]) => f === from && t === to);
        expect([from, to, (() => { try { assertTransitionAllowed(from, to); return true; } catch { return false; } })()]).toEqual([from, to, ok]);
      }
    }
  });

  it('When a transition is refused, then 409 lists the statuses allowed next; nothing follows exclusion', () => {
    expect(() => assertTransitionAllowed('applicant', 'suspended')).toThrow(
      expect.objectContaining({ code: 'status_transition_not_allowed', extensions: { from: 'applicant', to: 'suspended', allowed: ['under_review', 'excluded'] } }),
    );
    expect(() => assertTransitionAllowed('excluded', 'admitted')).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ allowed: [] }) }));
  });

  it('When the status changes, then admission, suspension and exclusion are published, and the last two withdraw admission', () => {
    expect(PROVIDER_STATUSES.map((s) => [s, statusTopic(s) ?? null, withdrawsAdmission(s)])).toEqual([
      ['applicant', null, false],
      ['under_review', null, false],
      ['admitted', 'provider.admitted', false],
      ['suspended', 'provider.suspended', true],
      ['excluded', 'provider.excluded', true],
    ]);
  });
});

describe('Who registers', () => {
  const institution = { type: 'state_institution' as const, region_code: '73' };

  it('When a provider admin registers, then the organisation gets the token’s provider id; naming another id is 403', () => {
    const admin = principal({ roles: ['provider_admin'], providerId: OWN });
    expect(registrant({ type: 'nko', region_code: '73' }, admin, 'new')).toEqual({ id: OWN, reason: 'Организация зарегистрирована в реестре' });
    expect(registrant({ type: 'nko', region_code: '73', id: OWN }, admin, 'new').id).toBe(OWN);
    expect(() => registrant({ type: 'nko', region_code: '73', id: 'other' }, admin, 'new')).toThrow(expect.objectContaining({ code: 'not_your_provider' }));
  });

  it('When the committee enters a state institution of its region, then it gets the given id or a new one', () => {
    const committee = principal({ roles: ['committee'], regionCode: '73' });
    expect(registrant(institution, committee, 'new')).toEqual({ id: 'new', reason: 'Государственное учреждение внесено в реестр по решению учредителя' });
    expect(registrant({ ...institution, id: OWN }, committee, 'new').id).toBe(OWN);
  });

  it('When the committee enters anything else or another region’s institution, then 403; an admin may enter any region’s', () => {
    const committee = principal({ roles: ['committee'], regionCode: '73' });
    expect(() => registrant({ type: 'sonko', region_code: '73' }, committee, 'new')).toThrow(expect.objectContaining({ code: 'self_registration_only' }));
    expect(() => registrant({ ...institution, region_code: '77' }, committee, 'new')).toThrow(expect.objectContaining({ code: 'other_region', extensions: { region_code: '77' } }));
    expect(registrant({ ...institution, region_code: '77' }, principal({ roles: ['admin'] }), 'new').id).toBe('new');
  });

  it('When anyone else registers, or a provider admin without a provider claim, then 403 no_provider_claim', () => {
    for (const who of [principal({ roles: ['citizen'] }), principal({ roles: ['provider_admin'] })]) {
      expect(() => registrant(institution, who, 'new')).toThrow(expect.objectContaining({ code: 'no_provider_claim' }));
    }
  });

  it('When a racing registration loses on a unique constraint, then the INN or the id is named; other errors are not explained', () => {
    expect(registrationConflict({ code: '23505', constraint: 'providers_inn_unique' }, '7830002293')).toMatchObject({ code: 'inn_already_registered', extensions: { field: 'inn' } });
    expect(registrationConflict({ cause: { code: '23505', constraint: 'providers_pkey' } }, 'x')).toMatchObject({ code: 'provider_already_registered' });
    expect(registrationConflict({ code: '23505', constraint: 'something_else' }, 'x')).toBeUndefined();
    expect(registrationConflict({ code: '40001' }, 'x')).toBeUndefined();
  });
});

describe('Who reads and edits a provider', () => {
  it('When staff, services with registry:read or the provider’s own people read, then they may; others get 403', () => {
    for (const who of [
      principal({ roles: ['committee'] }),
      principal({ roles: ['auditor'] }),
      principal({ kind: 'service', scopes: ['registry:read'] }),
      principal({ roles: ['provider_staff'], providerId: OWN }),
    ]) {
      expect(() => assertCanRead(who, OWN)).not.toThrow();
    }
    for (const who of [principal({ kind: 'service', scopes: [] }), principal({ roles: ['provider_admin'], providerId: 'other' }), principal({ roles: ['citizen'] })]) {
      expect(() => assertCanRead(who, OWN)).toThrow(expect.objectContaining({ code: 'not_your_provider' }));
    }
  });

  it('When anyone but the provider’s own admin edits, then 403, staff of the provider included', () => {
    expect(() => assertOwnAdmin(principal({ roles: ['provider_admin'], providerId: OWN }), OWN)).not.toThrow();
    expect(() => assertOwnAdmin(principal({ roles: ['provider_staff'], providerId: OWN }), OWN)).toThrow(expect.objectContaining({ code: 'not_your_provider' }));
    expect(() => assertOwnAdmin(principal({ roles: ['committee'] }), OWN)).toThrow(expect.objectContaining({ code: 'not_your_provider' }));
  });
});

describe('Who decides for a region', () => {
  it('When the committee of the region decides, or an administrator, then it passes; another region’s committee gets 403 other_region', () => {
    expect(() => assertDecidesForRegion(principal({ roles: ['committee'], regionCode: '73' }), '73')).not.toThrow();
    expect(() => assertDecidesForRegion(principal({ roles: ['admin'] }), '73')).not.toThrow();
    expect(() => assertDecidesForRegion(principal({ roles: ['committee'], regionCode: '77' }), '73')).toThrow(expect.objectContaining({ kind: 'forbidden', code: 'other_region' }));
    expect(() => assertDecidesForRegion(principal({ roles: ['committee'] }), '73')).toThrow(expect.objectContaining({ code: 'other_region' }));
  });
});

describe('dateDeclarations', () => {
  const doc = { kind: 'Выписка из ЕГРЮЛ', number: '1', issued_at: '2026-12-01', valid_until: null };
  it('When a statement is made, kept unchanged, changed or withdrawn, then the registry dates it now, keeps its date, dates it anew, or clears it', () => {
    const made = dateDeclarations({}, { not_liquidating: { declared: true, document: doc, declared_at: '2000-01-01T00:00:00Z' } }, 'T1');
    expect(made.not_liquidating).toEqual({ declared: true, document: doc, declared_at: 'T1' });
    const kept = dateDeclarations(made, { not_liquidating: { declared: true, document: { number: '1', kind: 'Выписка из ЕГРЮЛ', issued_at: '2026-12-01' } } }, 'T2');
    expect(kept.not_liquidating?.declared_at).toBe('T1');
    expect(dateDeclarations(made, { not_liquidating: { declared: true, document: { ...doc, number: '2' } } }, 'T3').not_liquidating?.declared_at).toBe('T3');
    expect(dateDeclarations(made, { not_liquidating: { declared: false, document: null } }, 'T4').not_liquidating).toEqual({ declared: false, document: null, declared_at: null });
  });
});
