import { EntitySchema, type Opt } from '@mikro-orm/core';

/**
 * The aggregates read and changed one at a time, mapped onto the tables the migrations create.
 * Timestamps the database sets (`defaultRaw`) come back from the insert; dates stay `YYYY-MM-DD`
 * strings and numerics strings, as the rest of the service reads them.
 */

export interface HouseholdMember {
  relation: string;
  full_name: string;
  monthly_income: string;
}

export interface Recipient {
  id: string;
  snils: string;
  region_code: string;
  last_name: string;
  first_name: string;
  middle_name: string | null;
  birth_date: string;
  district_code: string;
  address: string;
  phone: string | null;
  categories: string[];
  own_income: string;
  household: HouseholdMember[];
  created_by: string;
  created_at: Date & Opt;
  updated_at: Date & Opt;
}

export const RecipientEntity = new EntitySchema<Recipient>({
  name: 'Recipient',
  tableName: 'recipients',
  properties: {
    id: { type: 'uuid', primary: true },
    snils: { type: 'text', unique: true },
    region_code: { type: 'text' },
    last_name: { type: 'text' },
    first_name: { type: 'text' },
    middle_name: { type: 'text', nullable: true },
    birth_date: { type: 'date' },
    district_code: { type: 'text' },
    address: { type: 'text' },
    phone: { type: 'text', nullable: true },
    categories: { type: 'text[]' },
    own_income: { type: 'decimal', precision: 20, scale: 2 },
    household: { type: 'json' },
    created_by: { type: 'text' },
    created_at: { type: 'datetime', columnType: 'timestamptz', defaultRaw: 'clock_timestamp()' },
    updated_at: { type: 'datetime', columnType: 'timestamptz', defaultRaw: 'clock_timestamp()' },
  },
});

export type AssessmentSource = 'application' | 'life_event' | 'bulk_import';
export type AssessmentStatus = 'open' | 'recognised' | 'refused' | 'programme_drawn';

export interface Assessment {
  id: string;
  recipient_id: string;
  region_code: string;
  source: AssessmentSource;
  life_event_id: string | null;
  status: AssessmentStatus;
  reason: string | null;
  opened_by: string;
  opened_on: string;
  decision_due: string;
  programme_due: string;
  decided_by: string | null;
  decided_at: Date | null;
  refusal_code: string | null;
  created_at: Date & Opt;
}

export const AssessmentEntity = new EntitySchema<Assessment>({
  name: 'Assessment',
  tableName: 'assessments',
  properties: {
    id: { type: 'uuid', primary: true },
    recipient_id: { type: 'uuid' },
    region_code: { type: 'text' },
    source: { type: 'text' },
    life_event_id: { type: 'uuid', nullable: true },
    status: { type: 'text' },
    reason: { type: 'text', nullable: true },
    opened_by: { type: 'text' },
    opened_on: { type: 'date' },
    decision_due: { type: 'date' },
    programme_due: { type: 'date' },
    decided_by: { type: 'text', nullable: true },
    decided_at: { type: 'datetime', columnType: 'timestamptz', nullable: true },
    refusal_code: { type: 'text', nullable: true },
    created_at: { type: 'datetime', columnType: 'timestamptz', defaultRaw: 'clock_timestamp()' },
  },
});

export type ServiceForm = 'home' | 'day_care' | 'residential';

/** A line of an individual programme with what the catalog said of its service when it was drawn. */
export interface ProgrammeLine {
  service_code: string;
  volume_per_month: number;
  months: number;
  service_name: string;
  form: ServiceForm;
  unit: string;
  max_volume_per_month: number | null;
}

export interface Programme {
  id: string;
  assessment_id: string;
  recipient_id: string;
  region_code: string;
  valid_from: string;
  lines: ProgrammeLine[];
  drawn_by: string;
  drawn_at: Date & Opt;
}

export const ProgrammeEntity = new EntitySchema<Programme>({
  name: 'Programme',
  tableName: 'programmes',
  properties: {
    id: { type: 'uuid', primary: true },
    assessment_id: { type: 'uuid', unique: true },
    recipient_id: { type: 'uuid' },
    region_code: { type: 'text' },
    valid_from: { type: 'date' },
    lines: { type: 'json' },
    drawn_by: { type: 'text' },
    drawn_at: { type: 'datetime', columnType: 'timestamptz', defaultRaw: 'clock_timestamp()' },
  },
});

export const CERTIFICATES_ENTITIES = [RecipientEntity, AssessmentEntity, ProgrammeEntity];
