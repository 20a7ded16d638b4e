import { Migration } from '@mikro-orm/migrations';

export class Migration20261207000400_free_capacity_not_negative extends Migration {
  override async up(): Promise<void> {
    // A provider that lowered its capacity below what is booked has no free places, not a negative number:
    // the rows and cards built before are corrected as the new builds show it (booked_per_month stays as booked).
    this.addSql(`update registry.search_entries set free_capacity = 0 where free_capacity < 0`);
    this.addSql(`update registry.search_cards set card = regexp_replace(card, '"free_capacity":-[0-9]+', '"free_capacity":0', 'g')
                  where card ~ '"free_capacity":-[0-9]'`);
  }
}
