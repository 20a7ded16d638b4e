import { Migration } from '@mikro-orm/migrations';

/** The 442-FZ deadlines: the column's default, so a service entered without deadlines of its own gets them. */
export const DEADLINES_442FZ = {
  assessment_working_days: 5,
  programme_working_days: 10,
  text:
    'Решение о признании нуждающимся в социальном обслуживании принимают в течение 5 рабочих дней со дня подачи заявления (статья 15 Федерального закона № 442-ФЗ), ' +
    'индивидуальную программу составляют не позднее 10 рабочих дней со дня подачи заявления (статья 16).',
};

export class Migration20261207000100_catalog_navigator extends Migration {
  override async up(): Promise<void> {
    // Texts for citizens in the navigator; nullable so services entered before them (or without them) stay valid.
    this.addSql(`alter table registry.services
      add column description text,
      add column eligibility text,
      add column documents jsonb not null default '[]',
      add column procedure text,
      add column deadlines jsonb not null default '${JSON.stringify(DEADLINES_442FZ)}'::jsonb`);
  }
}
