import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261124100000_certificates } from './Migration20261124100000_certificates';
import { Migration20261124101500_bulk_issue_progress } from './Migration20261124101500_bulk_issue_progress';
import { Migration20261124103000_delivery_indexes } from './Migration20261124103000_delivery_indexes';
import { Migration20261125090000_settling_counters } from './Migration20261125090000_settling_counters';
import { Migration20261207090000_pending_releases } from './Migration20261207090000_pending_releases';
import { Migration20261207120000_provider_standing } from './Migration20261207120000_provider_standing';
import { Migration20261207130000_caseworker_search } from './Migration20261207130000_caseworker_search';
import { Migration20261207133000_staff_names } from './Migration20261207133000_staff_names';
import { Migration20261207134000_bulk_issue_list } from './Migration20261207134000_bulk_issue_list';
import { Migration20261207140000_deficits } from './Migration20261207140000_deficits';
import { Migration20261207200000_audit_log } from './Migration20261207200000_audit_log';
import { Migration20261207210000_notice_marks } from './Migration20261207210000_notice_marks';
import { Migration20261207220000_refused_requests } from './Migration20261207220000_refused_requests';
import { Migration20261208090000_abandoned_holds } from './Migration20261208090000_abandoned_holds';

export const migrations: MigrationObject[] = [
  { name: 'Migration20261124100000_certificates', class: Migration20261124100000_certificates },
  { name: 'Migration20261124101500_bulk_issue_progress', class: Migration20261124101500_bulk_issue_progress },
  { name: 'Migration20261124103000_delivery_indexes', class: Migration20261124103000_delivery_indexes },
  { name: 'Migration20261125090000_settling_counters', class: Migration20261125090000_settling_counters },
  { name: 'Migration20261207090000_pending_releases', class: Migration20261207090000_pending_releases },
  { name: 'Migration20261207120000_provider_standing', class: Migration20261207120000_provider_standing },
  { name: 'Migration20261207130000_caseworker_search', class: Migration20261207130000_caseworker_search },
  { name: 'Migration20261207133000_staff_names', class: Migration20261207133000_staff_names },
  { name: 'Migration20261207134000_bulk_issue_list', class: Migration20261207134000_bulk_issue_list },
  { name: 'Migration20261207140000_deficits', class: Migration20261207140000_deficits },
  { name: 'Migration20261207200000_audit_log', class: Migration20261207200000_audit_log },
  { name: 'Migration20261207210000_notice_marks', class: Migration20261207210000_notice_marks },
  { name: 'Migration20261207220000_refused_requests', class: Migration20261207220000_refused_requests },
  { name: 'Migration20261208090000_abandoned_holds', class: Migration20261208090000_abandoned_holds },
];
