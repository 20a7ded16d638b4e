import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261124100000_settlement } from './Migration20261124100000_settlement';
import { Migration20261207100000_payment_order_numbers } from './Migration20261207100000_payment_order_numbers';
import { Migration20261207100100_withheld_payouts } from './Migration20261207100100_withheld_payouts';
import { Migration20261207110000_statement_fingerprint } from './Migration20261207110000_statement_fingerprint';
import { Migration20261207200000_audit_log } from './Migration20261207200000_audit_log';
import { Migration20261208100000_provider_standing } from './Migration20261208100000_provider_standing';

export const migrations: MigrationObject[] = [
  { name: 'Migration20261124100000_settlement', class: Migration20261124100000_settlement },
  { name: 'Migration20261207100000_payment_order_numbers', class: Migration20261207100000_payment_order_numbers },
  { name: 'Migration20261207100100_withheld_payouts', class: Migration20261207100100_withheld_payouts },
  { name: 'Migration20261207110000_statement_fingerprint', class: Migration20261207110000_statement_fingerprint },
  { name: 'Migration20261207200000_audit_log', class: Migration20261207200000_audit_log },
  { name: 'Migration20261208100000_provider_standing', class: Migration20261208100000_provider_standing },
];
