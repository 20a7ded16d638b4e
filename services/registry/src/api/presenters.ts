import type { registry } from '@esc/api-types';
import type { CatalogService, Coefficient, CostVersion, PricedService, UnitCost } from '../domain/catalog-model';
import type { DistrictCollection } from '../domain/deps';
import type { DocumentRecord } from '../domain/documents';
import { serviceCodesOf, type LifeSituation, type RegionLifeSituations } from '../domain/life-situations';
import type { Provider, StatusChange } from '../domain/provider-model';
import type { PublicProvider } from '../domain/public-providers';
import type { Application, Round } from '../domain/round-model';
import type { PublicRound, RoundResults } from '../domain/rounds';
import type { AppealItem, RegistryProvider } from '../domain/committee';
import type { CoefficientVersion } from '../domain/coefficient-versions';
import type { SearchPage } from '../domain/search';

type Schemas = registry.components['schemas'];
type Ok<Operation extends keyof registry.operations> = registry.operations[Operation]['responses'] extends { 200: { content: { 'application/json': infer Body } } }
  ? Body
  : never;

/**
 * The HTTP bodies, typed with the contract (openapi/registry.yaml) so that a drift fails typechecking.
 * Fields are written in the order the API has always sent them.
 */

export const costVersionView = (c: CostVersion): Schemas['CostVersion'] => ({
  region_code: c.region_code,
  valid_from: c.valid_from,
  amount: c.amount.toString(),
  reason: c.reason,
});

export const coefficientView = (c: Coefficient): Schemas['Coefficient'] => c;

/** A catalog service; a public read adds today's cost in the asked region and the coefficients that may apply. */
export function serviceView(s: CatalogService, costs?: CostVersion[], extras?: Omit<PricedService, 'service'>): Schemas['Service'] {
  return {
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
    ...(costs ? { costs: costs.map(costVersionView) } : {}),
    ...(extras
      ? {
          current_cost: extras.currentCost
            ? { region_code: extras.currentCost.region_code, amount: extras.currentCost.amount.toString(), valid_from: extras.currentCost.valid_from }
            : null,
          coefficients: extras.coefficients.map(coefficientView),
        }
      : {}),
  };
}

export const pricedServiceView = (p: PricedService, costs?: CostVersion[]): Schemas['Service'] => serviceView(p.service, costs, p);

export const publishedCostView = (serviceCode: string, c: CostVersion): Schemas['CostVersion'] & { service_code: string } => ({
  service_code: serviceCode,
  ...costVersionView(c),
});

export const unitCostView = (c: UnitCost): Schemas['UnitCost'] => ({
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

export const providerView = (p: Provider): Schemas['Provider'] => ({
  id: p.id,
  inn: p.inn,
  ogrn: p.ogrn,
  kpp: p.kpp,
  name: p.name,
  short_name: p.short_name,
  legal_form: p.legal_form,
  type: p.type,
  funding_mode: p.funding_mode,
  registered_at: p.registered_at,
  region_code: p.region_code,
  bank: p.bank,
  contacts: p.contacts,
  licences: p.licences,
  declarations: p.declarations,
  accessibility: p.accessibility,
  status: p.status,
  rating: p.rating,
  rating_count: p.rating_count,
  created_at: p.created_at.toISOString(),
  updated_at: p.updated_at.toISOString(),
  locations: p.locations,
  services: p.services,
});

export const statusHistoryView = (items: StatusChange[]): Ok<'getProviderStatusHistory'> => ({ items });

export const documentView = (d: DocumentRecord): Schemas['Document'] => ({
  id: d.id,
  provider_id: d.provider_id,
  kind: d.kind,
  title: d.title,
  file_name: d.file_name,
  // Only what sniffMediaType recognises is ever stored.
  media_type: d.media_type as Schemas['Document']['media_type'],
  size_bytes: d.size_bytes,
  sha256: d.sha256,
  valid_until: d.valid_until,
  uploaded_by: d.uploaded_by,
  uploaded_at: d.uploaded_at,
});

export const roundView = (r: Round): Schemas['Round'] => ({
  id: r.id,
  title: r.title,
  region_code: r.region_code,
  territory: r.territory,
  service_codes: r.service_codes,
  applications_open_at: r.applications_open_at.toISOString(),
  applications_close_at: r.applications_close_at.toISOString(),
  appeal_window_days: r.appeal_window_days,
  formal_criteria: r.formal_criteria,
  scored_criteria: r.scored_criteria,
  threshold: r.threshold,
  sonko_preference_points: r.sonko_preference_points,
  results_published_at: r.results_published_at?.toISOString() ?? null,
  created_by: r.created_by,
  created_at: r.created_at.toISOString(),
});

export const appealItemView = (a: AppealItem): Schemas['AppealItem'] => ({
  application_id: a.application_id,
  round_id: a.round_id,
  round_title: a.round_title,
  provider_id: a.provider_id,
  provider_name: a.provider_name,
  status: a.status,
  appeal: { reason: a.appeal.reason, filed_at: a.appeal.filed_at, filed_by: a.appeal.filed_by },
  respond_by: a.respond_by,
  overdue: a.overdue,
  appealed_decision: a.appealed_decision,
  decision: a.decision,
});

export const registryProviderView = (p: RegistryProvider): Ok<'listRegistryProviders'>['items'][number] => ({
  id: p.id,
  name: p.name,
  short_name: p.short_name,
  inn: p.inn,
  type: p.type as Schemas['Provider']['type'],
  region_code: p.region_code,
  status: p.status as Schemas['ProviderStatus'],
  updated_at: new Date(p.updated_at).toISOString(),
});

export const applicationView = (a: Application): Schemas['Application'] => ({
  id: a.id,
  round_id: a.round_id,
  provider_id: a.provider_id,
  service_codes: a.service_codes,
  status: a.status,
  formal_results: a.formal_results,
  decision: a.decision,
  appeal: a.appeal,
  submitted_at: a.submitted_at.toISOString(),
});

export const roundResultsView = (r: RoundResults): Ok<'getRoundResults'> => ({
  round_id: r.round.id,
  title: r.round.title,
  items: r.items.map((i) => ({
    provider_id: i.provider_id,
    provider_name: i.provider_name,
    outcome: i.decision.outcome,
    total_points: i.decision.total_points,
    refusal_code: i.decision.refusal?.code ?? null,
  })),
});

export const publicRoundView = (r: PublicRound): Schemas['PublicRound'] => ({
  id: r.id,
  title: r.title,
  region_code: r.region_code,
  services: r.service_codes.map((code) => ({ code, name: r.service_names[code] ?? code })),
  territory: r.territory,
  applications_open_at: r.applications_open_at,
  applications_close_at: r.applications_close_at,
  status: r.status,
  results_published: r.results_published,
  admitted_count: r.admitted,
  results_href: `/v1/rounds/${r.id}/results`,
});

/** Bank details, identifiers, declarations, licences and contact persons are never read, so cannot appear. */
export function publicProviderView({ provider: p, locations, services }: PublicProvider): Schemas['PublicProvider'] {
  return {
    id: p.id,
    name: p.name,
    short_name: p.short_name,
    type: p.type,
    legal_form: p.legal_form,
    funding_mode: p.funding_mode,
    region_code: p.region_code,
    rating: p.rating,
    rating_count: p.rating_count,
    accessibility: p.accessibility,
    contacts: { phone: p.phone, email: p.email, website: p.website },
    locations,
    services: services.map((s) => ({
      service_code: s.service_code,
      name: s.name,
      unit: s.unit,
      form: s.form,
      capacity_per_month: s.capacity_per_month,
      free_capacity: s.free_capacity,
      admitted_territory: s.admitted_territory,
      tariff: s.tariff,
      // A service admitted otherwise than by a round shows when the provider was last admitted.
      admission: { admitted_at: s.decided_at ?? s.admitted_status_at, round_id: s.round_id, round_title: s.round_title },
    })),
  };
}

export const lifeSituationsView = ({ region_code, version, items }: RegionLifeSituations): Ok<'listLifeSituations'> => ({
  region_code,
  version,
  items: items.map((s) => ({
    code: s.code,
    title: s.title,
    summary: s.summary,
    service_codes: serviceCodesOf(s),
    href: `/v1/life-situations/${s.code}?region=${region_code}`,
  })),
});

export const lifeSituationView = ({ region_code, version, situation, services }: LifeSituation): Schemas['LifeSituation'] => ({
  code: situation.code,
  region_code,
  version,
  title: situation.title,
  summary: situation.summary,
  steps: situation.steps.map((step, i) => {
    const service = step.service_code ? services.find((s) => s.code === step.service_code) : undefined;
    return {
      order: i + 1,
      title: step.title,
      kind: step.kind,
      description: step.description,
      service_code: step.service_code ?? null,
      service: service ? { ...service, href: `/v1/catalog/services/${service.code}`, providers_href: `/v1/providers?service=${service.code}` } : null,
      agency: step.agency,
      where: step.where,
      how_to_start: step.how_to_start,
      documents: step.documents,
      proactive: step.proactive ?? false,
    };
  }),
});

/** The map file's own members (name, attribution, note, bbox…) pass through as stored. */
export const districtsView = (c: DistrictCollection): Schemas['DistrictCollection'] => c as DistrictCollection & Schemas['DistrictCollection'];

/**
 * One page of the public search as JSON text: the stored cards (Schemas['ProviderSummary'] without
 * distance_km) are spliced in after the distance, never parsed and serialised again.
 */
export function searchPageJson(page: SearchPage): string {
  const items = page.cards.map((r) => `{"distance_km":${r.distance_km ?? 'null'},${r.card.slice(1)}`);
  return `{"items":[${items.join(',')}],"page":${page.page},"per_page":${page.perPage},"next_page":${page.nextPage}}`;
}

export const coefficientVersionView = (v: CoefficientVersion): Schemas['CoefficientVersion'] => ({
  code: v.code,
  valid_from: v.valid_from,
  factor: v.factor,
  reason: v.reason,
  created_by: v.created_by,
  created_at: new Date(v.created_at).toISOString(),
});
