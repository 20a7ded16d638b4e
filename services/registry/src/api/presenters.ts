import type { CatalogService, Coefficient, CostVersion, CurrentCost, UnitCost } from '../domain/catalog';

/** What a public read adds to a service: today's cost in the asked region and the coefficients that may apply. */
export interface PublicServiceExtras {
  currentCost: CurrentCost | undefined;
  coefficients: Coefficient[];
}

export const serviceJson = (s: CatalogService, costs?: CostVersion[], extras?: PublicServiceExtras) => ({
  code: s.code,
  name: s.name,
  kind: s.kind,
  form: s.form,
  unit: s.unit,
  standard: s.standard,
  licence_required: s.licence_required,
  description: s.description,
  eligibility: s.eligibility,
  documents: s.documents,
  procedure: s.procedure,
  deadlines: s.deadlines,
  ...(costs ? { costs: costs.map(costJson) } : {}),
  ...(extras
    ? {
        current_cost: extras.currentCost
          ? { region_code: extras.currentCost.region_code, amount: extras.currentCost.amount.toString(), valid_from: extras.currentCost.valid_from }
          : null,
        coefficients: extras.coefficients,
      }
    : {}),
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
