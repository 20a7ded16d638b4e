import type { CatalogService, CostVersion, UnitCost } from '../domain/catalog';

export const serviceJson = (s: CatalogService, costs?: CostVersion[]) => ({
  code: s.code,
  name: s.name,
  kind: s.kind,
  form: s.form,
  unit: s.unit,
  standard: s.standard,
  licence_required: s.licence_required,
  ...(costs ? { costs: costs.map(costJson) } : {}),
});

export const costJson = (c: CostVersion) => ({ region_code: c.region_code, valid_from: c.valid_from, amount: c.amount.toString(), reason: c.reason });

export const unitCostJson = (c: UnitCost) => ({
  service_code: c.service_code,
  region_code: c.region_code,
  date: c.date,
  unit: c.unit,
  unit_cost: c.unit_cost.toString(),
  base: c.base.toString(),
  coefficients: c.coefficients,
  product_exact: c.product_exact,
  rounding: c.rounding,
  valid_from: c.valid_from,
});
