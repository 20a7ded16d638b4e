import { EntitySchema, Type } from '@mikro-orm/core';
import { SETTLEMENT_SCHEMA } from './schema';

/**
 * A numeric(20,2) column as the exact decimal string PostgreSQL sends ("1234.50"). The ORM's own
 * decimal type compares values as floats when it looks for changes, and a float cannot tell two
 * amounts of eighteen digits apart: the second of them would never be written.
 */
export class MoneyStringType extends Type<string, string> {
  override convertToJSValue(value: string): string {
    return String(value);
  }

  override compareAsType(): string {
    return 'string';
  }

  override getColumnType(): string {
    return 'numeric(20,2)';
  }
}

const money = { type: MoneyStringType } as const;
const timestamp = { type: 'Date', columnType: 'timestamptz' } as const;

/** The cash limit of a budget programme for a period. */
export interface PayoutLimit {
  budgetProgrammeId: string;
  period: string;
  regionCode: string;
  amount: string;
  setBy: string;
  setAt: Date;
}

export const PayoutLimitSchema = new EntitySchema<PayoutLimit>({
  name: 'PayoutLimit',
  schema: SETTLEMENT_SCHEMA,
  tableName: 'payout_limits',
  properties: {
    budgetProgrammeId: { type: 'uuid', primary: true, fieldName: 'budget_programme_id' },
    period: { type: 'string', primary: true, fieldName: 'period' },
    regionCode: { type: 'string', fieldName: 'region_code' },
    amount: { ...money, fieldName: 'amount' },
    setBy: { type: 'string', fieldName: 'set_by' },
    setAt: { ...timestamp, fieldName: 'set_at' },
  },
});

/** How many months a budget programme's settlement period spans. */
export interface ProgrammeSettings {
  budgetProgrammeId: string;
  periodMonths: number;
  updatedBy: string;
  updatedAt: Date;
}

export const ProgrammeSettingsSchema = new EntitySchema<ProgrammeSettings>({
  name: 'ProgrammeSettings',
  schema: SETTLEMENT_SCHEMA,
  tableName: 'programme_settings',
  properties: {
    budgetProgrammeId: { type: 'uuid', primary: true, fieldName: 'budget_programme_id' },
    periodMonths: { type: 'integer', fieldName: 'period_months' },
    updatedBy: { type: 'string', fieldName: 'updated_by' },
    updatedAt: { ...timestamp, fieldName: 'updated_at' },
  },
});

/** The volume a state-assignment provider is to deliver for a service in a period. */
export interface Assignment {
  providerId: string;
  serviceCode: string;
  period: string;
  regionCode: string;
  units: number;
  setBy: string;
  setAt: Date;
}

export const AssignmentSchema = new EntitySchema<Assignment>({
  name: 'Assignment',
  schema: SETTLEMENT_SCHEMA,
  tableName: 'assignments',
  properties: {
    providerId: { type: 'uuid', primary: true, fieldName: 'provider_id' },
    serviceCode: { type: 'string', primary: true, fieldName: 'service_code' },
    period: { type: 'string', primary: true, fieldName: 'period' },
    regionCode: { type: 'string', fieldName: 'region_code' },
    units: { type: 'integer', fieldName: 'units' },
    setBy: { type: 'string', fieldName: 'set_by' },
    setAt: { ...timestamp, fieldName: 'set_at' },
  },
});

export const settlementEntities = [PayoutLimitSchema, ProgrammeSettingsSchema, AssignmentSchema];
