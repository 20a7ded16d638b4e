import { raw } from '@mikro-orm/core';
import { Migration } from '@mikro-orm/migrations';

const services = [
  {
    code: 'HOME-HOUSEHOLD-HOUR',
    name: 'Социально-бытовые услуги на дому',
    kind: 'household',
    form: 'home',
    unit: 'hour',
    standard: {
      content: 'Покупка и доставка продуктов и лекарств, помощь в приготовлении пищи, уборка жилого помещения, оплата коммунальных услуг',
      staff_qualification: 'Социальный работник, профессиональное обучение по программе «Социальный работник»',
      max_volume_per_month: 60,
    },
    licence_required: false,
  },
  {
    code: 'DAYCARE-ELDERLY-DAY',
    name: 'Полустационарное социальное обслуживание граждан пожилого возраста (отделение дневного пребывания)',
    kind: 'household',
    form: 'day_care',
    unit: 'day',
    standard: {
      content: 'Пребывание в течение дня, двухразовое питание, досуговые и оздоровительные мероприятия',
      staff_qualification: 'Специалист по социальной работе, культорганизатор, медицинская сестра',
      max_volume_per_month: 22,
    },
    licence_required: false,
  },
  {
    code: 'CHILD-REHAB-COURSE',
    name: 'Курс социальной реабилитации детей-инвалидов',
    kind: 'medical',
    form: 'day_care',
    unit: 'course',
    standard: {
      content: 'Курс из 20 занятий: лечебная физкультура, массаж, занятия с логопедом и психологом, консультации родителей',
      staff_qualification: 'Врач ЛФК, инструктор-методист ЛФК, медицинская сестра по массажу, логопед, педагог-психолог',
      max_volume_per_month: 1,
    },
    licence_required: true,
  },
  {
    code: 'HOME-PSYCH-VISIT',
    name: 'Социально-психологическое консультирование на дому',
    kind: 'psychological',
    form: 'home',
    unit: 'visit',
    standard: {
      content: 'Выявление проблем, консультирование, психологическая поддержка, в том числе по телефону',
      staff_qualification: 'Психолог с высшим психологическим образованием',
      max_volume_per_month: 8,
    },
    licence_required: false,
  },
];

const costs = [
  ['HOME-HOUSEHOLD-HOUR', '73', '2026-01-01', '312.40'],
  ['DAYCARE-ELDERLY-DAY', '73', '2026-01-01', '1486.00'],
  ['CHILD-REHAB-COURSE', '73', '2026-01-01', '38750.00'],
  ['HOME-PSYCH-VISIT', '73', '2026-01-01', '954.30'],
];

const coefficients = [
  ['rural', 'territory', 'Сельская местность', '1.15', { territory: 'rural' }],
  ['remote', 'territory', 'Труднодоступная местность', '1.3', { territory: 'remote' }],
  ['disability-group-1', 'recipient_category', 'Инвалиды I группы', '1.25', { disability_group: 1 }],
  ['child-disability', 'recipient_category', 'Дети-инвалиды', '1.2', { age_below: 18, disability: true }],
  ['dementia', 'recipient_category', 'Граждане с деменцией', '1.35', { diagnosis: 'dementia' }],
];

export class Migration20261124000100_catalog_seed extends Migration {
  private seed(sql: string, params: Array<string | boolean>): void {
    this.addSql(raw(sql, params));
  }

  override async up(): Promise<void> {
    for (const s of services) {
      this.seed(
        `insert into registry.services (code, name, kind, form, unit, standard, licence_required) values (?, ?, ?, ?, ?, ?::jsonb, ?)`,
        [s.code, s.name, s.kind, s.form, s.unit, JSON.stringify(s.standard), s.licence_required],
      );
    }
    for (const [code, region, validFrom, amount] of costs) {
      this.seed(
        `insert into registry.normative_costs (service_code, region_code, valid_from, amount, reason, created_by)
         values (?, ?, ?, ?, 'Приказ о нормативных затратах на 2026 год', 'seed')`,
        [code!, region!, validFrom!, amount!],
      );
    }
    for (const [code, kind, name, factor, conditions] of coefficients) {
      this.seed(`insert into registry.coefficients (code, kind, name, factor, conditions, created_by) values (?, ?, ?, ?, ?::jsonb, 'seed')`, [
        code as string,
        kind as string,
        name as string,
        factor as string,
        JSON.stringify(conditions),
      ]);
    }
  }
}
