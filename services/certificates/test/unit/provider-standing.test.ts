import { restrictionOf, standingNotice, STANDING_TOPICS } from '../../src/domain/provider-standing';
import { REFUSALS } from '../../src/domain/refusals';

describe('restrictionOf: what a provider’s registry standing refuses', () => {
  test('When the provider is suspended or excluded, then new work is refused with that code; admitted or unheard of, nothing is', () => {
    expect(restrictionOf('suspended')).toBe('provider_suspended');
    expect(restrictionOf('excluded')).toBe('provider_excluded');
    expect(restrictionOf('admitted')).toBeUndefined();
    expect(restrictionOf(null)).toBeUndefined();
    expect(restrictionOf(undefined)).toBeUndefined();
  });

  test('When the registry publishes a provider status change, then each of its three topics maps to a standing', () => {
    expect(STANDING_TOPICS).toEqual({ 'provider.admitted': 'admitted', 'provider.suspended': 'suspended', 'provider.excluded': 'excluded' });
  });
});

describe('standingNotice and the refusals: what the citizen reads', () => {
  test('When a citizen’s provider is suspended or excluded, then the notice names the provider and tells them to choose another one', () => {
    expect(standingNotice('provider_suspended', 'Забота')).toMatch(/^Участие поставщика «Забота» в системе сертификатов приостановлено.*Выберите другого поставщика/);
    expect(standingNotice('provider_excluded', 'Забота')).toMatch(/^Поставщик «Забота» исключён из реестра.*Выберите другого поставщика/);
  });

  test('When a booking or an act is refused for the provider’s standing, then the refusal is 422 with next steps pointing to another provider', () => {
    for (const code of ['provider_suspended', 'provider_excluded'] as const) {
      expect(REFUSALS[code]).toMatchObject({ kind: 'unprocessable', nextSteps: expect.stringContaining('Выберите другого поставщика') });
    }
  });
});
