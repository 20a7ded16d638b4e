import { BigIntType, DecimalType, EntitySchema, type Opt } from '@mikro-orm/core';
import type { CatalogService } from '../domain/catalog-model';
import type { Location, Provider } from '../domain/provider-model';
import type { Application, Round } from '../domain/round-model';
import { DEADLINES_442FZ } from './migrations/Migration20261207000100_catalog_navigator';
import { REGISTRY_SCHEMA } from './schema';

/**
 * The aggregates read and changed one at a time, mapped onto the tables the migrations create (the
 * migrations stay the schema's source). Columns the database fills (identities, clock_timestamp()
 * and other defaults) are `Opt` and come back through `returning` on insert.
 */

export interface ProviderRow extends Omit<Provider, 'locations' | 'services' | 'created_at' | 'updated_at'> {
  created_by: string;
  created_at: Opt<Date>;
  updated_at: Opt<Date>;
}

export const ProviderEntity = new EntitySchema<ProviderRow>({
  name: 'Provider',
  schema: REGISTRY_SCHEMA,
  tableName: 'providers',
  properties: {
    id: { type: 'uuid', primary: true },
    inn: { type: 'text' },
    ogrn: { type: 'text' },
    kpp: { type: 'text', nullable: true },
    name: { type: 'text' },
    short_name: { type: 'text', nullable: true },
    legal_form: { type: 'text' },
    type: { type: 'text' },
    funding_mode: { type: 'text' },
    registered_at: { type: 'date' },
    region_code: { type: 'text' },
    bank: { type: 'json' },
    contacts: { type: 'json' },
    licences: { type: 'json' },
    declarations: { type: 'json' },
    accessibility: { type: 'string[]' },
    status: { type: 'text' },
    // Written only by the ratings consumer (rating_sum is not mapped); read here.
    rating: { type: new DecimalType('string'), precision: 3, scale: 2, nullable: true },
    rating_count: { type: 'integer' },
    created_by: { type: 'text' },
    created_at: { type: 'datetime', defaultRaw: 'clock_timestamp()' },
    updated_at: { type: 'datetime', defaultRaw: 'clock_timestamp()' },
  },
});

export interface ProviderLocationRow extends Location {
  id: Opt<string>;
  provider_id: string;
}

/** A provider's places of service; replaced as a whole when the provider edits them, read in id order. */
export const ProviderLocationEntity = new EntitySchema<ProviderLocationRow>({
  name: 'ProviderLocation',
  schema: REGISTRY_SCHEMA,
  tableName: 'provider_locations',
  properties: {
    id: { type: new BigIntType('string'), primary: true, autoincrement: true },
    provider_id: { type: 'uuid' },
    address: { type: 'text' },
    district_code: { type: 'text' },
    lat: { type: new DecimalType('number'), precision: 9, scale: 6 },
    lon: { type: new DecimalType('number'), precision: 9, scale: 6 },
  },
});

export interface RoundRow extends Omit<Round, 'created_at' | 'results_published_at'> {
  created_at: Opt<Date>;
  results_published_at: Opt<Date | null>;
}

/** Thresholds and preference points come back as numeric(10,2) text ("40.00"). */
export const RoundEntity = new EntitySchema<RoundRow>({
  name: 'Round',
  schema: REGISTRY_SCHEMA,
  tableName: 'rounds',
  properties: {
    id: { type: 'uuid', primary: true },
    title: { type: 'text' },
    region_code: { type: 'text' },
    territory: { type: 'string[]' },
    service_codes: { type: 'string[]' },
    applications_open_at: { type: 'datetime' },
    applications_close_at: { type: 'datetime' },
    appeal_window_days: { type: 'integer' },
    formal_criteria: { type: 'string[]' },
    scored_criteria: { type: 'json' },
    threshold: { type: new DecimalType('string'), precision: 10, scale: 2 },
    sonko_preference_points: { type: new DecimalType('string'), precision: 10, scale: 2 },
    results_published_at: { type: 'datetime', nullable: true },
    created_by: { type: 'text' },
    created_at: { type: 'datetime', defaultRaw: 'clock_timestamp()' },
  },
});

export interface ApplicationRow extends Omit<Application, 'submitted_at'> {
  submitted_at: Opt<Date>;
}

export const ApplicationEntity = new EntitySchema<ApplicationRow>({
  name: 'Application',
  schema: REGISTRY_SCHEMA,
  tableName: 'applications',
  properties: {
    id: { type: 'uuid', primary: true },
    round_id: { type: 'uuid' },
    provider_id: { type: 'uuid' },
    service_codes: { type: 'string[]' },
    status: { type: 'text' },
    formal_results: { type: 'json' },
    decision: { type: 'json', nullable: true },
    decided_at: { type: 'datetime', nullable: true },
    appeal: { type: 'json', nullable: true },
    submitted_by: { type: 'text' },
    submitted_at: { type: 'datetime', defaultRaw: 'clock_timestamp()' },
  },
});

export interface CatalogServiceRow extends Omit<CatalogService, 'deadlines'> {
  /** Without deadlines of its own a service takes the column's default, the 442-FZ deadlines. */
  deadlines: Opt<CatalogService['deadlines']>;
  created_at: Opt<Date>;
}

export const CatalogServiceEntity = new EntitySchema<CatalogServiceRow>({
  name: 'CatalogService',
  schema: REGISTRY_SCHEMA,
  tableName: 'services',
  properties: {
    code: { type: 'text', primary: true },
    name: { type: 'text' },
    kind: { type: 'text' },
    form: { type: 'text' },
    unit: { type: 'text' },
    standard: { type: 'json' },
    licence_required: { type: 'boolean' },
    description: { type: 'text', nullable: true },
    eligibility: { type: 'text', nullable: true },
    documents: { type: 'json' },
    procedure: { type: 'text', nullable: true },
    deadlines: { type: 'json', defaultRaw: `'${JSON.stringify(DEADLINES_442FZ)}'::jsonb` },
    created_at: { type: 'datetime', defaultRaw: 'clock_timestamp()' },
  },
});

export interface NormativeCostRow {
  id: Opt<string>;
  service_code: string;
  region_code: string;
  /** YYYY-MM-DD */
  valid_from: string;
  /** numeric(20,2) as text ("312.40") */
  amount: string;
  reason: string | null;
  created_by: string;
  created_at: Opt<Date>;
}

/** A cost version is never changed: a new price is a new row, so past dates keep answering. */
export const NormativeCostEntity = new EntitySchema<NormativeCostRow>({
  name: 'NormativeCost',
  schema: REGISTRY_SCHEMA,
  tableName: 'normative_costs',
  properties: {
    id: { type: new BigIntType('string'), primary: true, autoincrement: true },
    service_code: { type: 'text' },
    region_code: { type: 'text' },
    valid_from: { type: 'date' },
    amount: { type: new DecimalType('string'), precision: 20, scale: 2 },
    reason: { type: 'text', nullable: true },
    created_by: { type: 'text' },
    created_at: { type: 'datetime', defaultRaw: 'clock_timestamp()' },
  },
});

export const registryEntities = [ProviderEntity, ProviderLocationEntity, RoundEntity, ApplicationEntity, CatalogServiceEntity, NormativeCostEntity];
