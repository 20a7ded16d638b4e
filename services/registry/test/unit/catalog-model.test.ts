import { Money } from '@esc/money';
import { coefficientsFor, unitCostOf, type Coefficient } from '../../src/domain/catalog-model';

const coefficient = (code: string, factor: string, conditions: Record<string, unknown> = {}): Coefficient => ({ code, kind: 'territory', name: code, factor, conditions });
const service = { code: 'HOME-PSYCH-VISIT', unit: 'visit' as const, form: 'home' as const };
const cost = { region_code: '73', valid_from: '2026-01-01', amount: Money.parse('954.30'), reason: null };

describe('unitCostOf', () => {
  it('When coefficients are applied, then the exact product is rounded half-up once, not per step', () => {
    // 954.30 × 1.15 = 1097.445 (per step 1097.45); × 1.3 = 1426.6785 → 1426.68 (per step 1426.69)
    const unit = unitCostOf(service, { region: '73', date: '2026-06-01', coefficients: ['rural', 'remote'] }, cost, [coefficient('remote', '1.3'), coefficient('rural', '1.15')]);
    expect(unit).toMatchObject({ product_exact: '1426.6785', valid_from: '2026-01-01', rounding: 'half_up_once', unit: 'visit' });
    expect(unit.unit_cost.toString()).toBe('1426.68');
    expect(unit.base.toString()).toBe('954.30');
    expect(unit.coefficients.map((c) => c.code)).toEqual(['rural', 'remote']);
  });

  it('When a half kopeck remains, then it rounds up', () => {
    const unit = unitCostOf(service, { region: '73', date: '2026-06-01', coefficients: ['half'] }, { ...cost, amount: Money.parse('0.01') }, [coefficient('half', '0.5')]);
    expect([unit.product_exact, unit.unit_cost.toString()]).toEqual(['0.005', '0.01']);
  });

  it('When no coefficient is asked, then the unit cost is the base', () => {
    const unit = unitCostOf(service, { region: '73', date: '2026-06-01', coefficients: [] }, cost, []);
    expect([unit.unit_cost.toString(), unit.product_exact, unit.coefficients]).toEqual(['954.30', '954.3', []]);
  });

  it('When no version is in force on the date, then 404 cost_not_found names the service, region and date', () => {
    expect(() => unitCostOf(service, { region: '77', date: '2025-12-31', coefficients: ['rural'] }, undefined, [])).toThrow(
      expect.objectContaining({ code: 'cost_not_found', extensions: { service_code: 'HOME-PSYCH-VISIT', region_code: '77', date: '2025-12-31' } }),
    );
  });

  it('When a coefficient is unknown, then 422 lists every unknown code', () => {
    expect(() => unitCostOf(service, { region: '73', date: '2026-06-01', coefficients: ['rural', 'moon', 'mars'] }, cost, [coefficient('rural', '1.15')])).toThrow(
      expect.objectContaining({ code: 'unknown_coefficient', extensions: { unknown: ['moon', 'mars'] } }),
    );
  });
});

describe('coefficientsFor', () => {
  const all = [
    coefficient('rural', '1.15'),
    coefficient('day-care', '1.05', { form: 'day_care' }),
    coefficient('home-or-care', '1.1', { form: ['home', 'day_care'] }),
    coefficient('psych-only', '1.2', { service_codes: ['HOME-PSYCH-VISIT'] }),
    coefficient('other-only', '1.2', { service_code: 'CHILD-REHAB-COURSE' }),
  ];

  it('When a coefficient’s conditions name forms or services, then it applies only to those; without conditions to every service', () => {
    expect(coefficientsFor(service, all).map((c) => c.code)).toEqual(['rural', 'home-or-care', 'psych-only']);
    expect(coefficientsFor({ code: 'CHILD-REHAB-COURSE', form: 'day_care' }, all).map((c) => c.code)).toEqual(['rural', 'day-care', 'home-or-care', 'other-only']);
  });
});
