import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261124000000_registry } from './Migration20261124000000_registry';
import { Migration20261124000100_catalog_seed } from './Migration20261124000100_catalog_seed';
import { Migration20261124000200_rating_sum } from './Migration20261124000200_rating_sum';
import { Migration20261124000300_documents } from './Migration20261124000300_documents';
import { Migration20261124000400_search_entries } from './Migration20261124000400_search_entries';
import { Migration20261124000500_search_cards_text } from './Migration20261124000500_search_cards_text';
import { Migration20261124000600_search_admitted_territory } from './Migration20261124000600_search_admitted_territory';
import { Migration20261124000700_search_version } from './Migration20261124000700_search_version';
import { Migration20261124000800_booked_as_of } from './Migration20261124000800_booked_as_of';
import { Migration20261207000100_catalog_navigator } from './Migration20261207000100_catalog_navigator';
import { Migration20261207000200_catalog_navigator_texts } from './Migration20261207000200_catalog_navigator_texts';
import { Migration20261207000300_search_provider_type } from './Migration20261207000300_search_provider_type';

import { Migration20261207000400_free_capacity_not_negative } from './Migration20261207000400_free_capacity_not_negative';
import { Migration20261207000500_round_results_published } from './Migration20261207000500_round_results_published';
import { Migration20261207000600_coefficient_versions } from './Migration20261207000600_coefficient_versions';
import { Migration20261207200000_audit_log } from './Migration20261207200000_audit_log';
export const migrations: MigrationObject[] = [
  { name: 'Migration20261124000000_registry', class: Migration20261124000000_registry },
  { name: 'Migration20261124000100_catalog_seed', class: Migration20261124000100_catalog_seed },
  { name: 'Migration20261124000200_rating_sum', class: Migration20261124000200_rating_sum },
  { name: 'Migration20261124000300_documents', class: Migration20261124000300_documents },
  { name: 'Migration20261124000400_search_entries', class: Migration20261124000400_search_entries },
  { name: 'Migration20261124000500_search_cards_text', class: Migration20261124000500_search_cards_text },
  { name: 'Migration20261124000600_search_admitted_territory', class: Migration20261124000600_search_admitted_territory },
  { name: 'Migration20261124000700_search_version', class: Migration20261124000700_search_version },
  { name: 'Migration20261124000800_booked_as_of', class: Migration20261124000800_booked_as_of },
  { name: 'Migration20261207000100_catalog_navigator', class: Migration20261207000100_catalog_navigator },
  { name: 'Migration20261207000200_catalog_navigator_texts', class: Migration20261207000200_catalog_navigator_texts },
  { name: 'Migration20261207000300_search_provider_type', class: Migration20261207000300_search_provider_type },
  { name: 'Migration20261207000400_free_capacity_not_negative', class: Migration20261207000400_free_capacity_not_negative },
  { name: 'Migration20261207000500_round_results_published', class: Migration20261207000500_round_results_published },
  { name: 'Migration20261207000600_coefficient_versions', class: Migration20261207000600_coefficient_versions },
  { name: 'Migration20261207200000_audit_log', class: Migration20261207200000_audit_log },
];
