import { assertLimitChangeable, assertProgrammeOfRegion } from '../../src/domain/settings';
import { codeThrown } from './principals';

describe('payout limit rules', () => {
  test('a limit changes while the period has no run or its run is still queued', () => {
    expect(codeThrown(() => assertLimitChangeable(undefined, '2026-10'))).toBeUndefined();
    expect(codeThrown(() => assertLimitChangeable('queued', '2026-10'))).toBeUndefined();
  });

  test('once the run is running or completed the limit stands', () => {
    expect(codeThrown(() => assertLimitChangeable('running', '2026-10'))).toBe('period_already_settled');
    expect(codeThrown(() => assertLimitChangeable('completed', '2026-10'))).toBe('period_already_settled');
  });

  test('a programme’s limits are set in the region of its first limit', () => {
    expect(codeThrown(() => assertProgrammeOfRegion(null, 'prog', '73'))).toBeUndefined();
    expect(codeThrown(() => assertProgrammeOfRegion({ regionCode: '73' }, 'prog', '73'))).toBeUndefined();
    expect(codeThrown(() => assertProgrammeOfRegion({ regionCode: '74' }, 'prog', '73'))).toBe('programme_of_other_region');
  });
});
