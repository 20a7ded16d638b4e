import { DEFAULT_REGION_TIME_ZONES, regionTimeLabel } from '@esc/service-kit';
import { citizenKey, financeKey, providerKey } from './audience';
import type {
  ActConfirmationDue,
  ActRecorded,
  ActSettled,
  AssessmentRecognised,
  BookingCreated,
  BookingDecided,
  CertificateExpired,
  CertificateExpiring,
  CertificateIssued,
  CertificateStatusChanged,
  ProgrammeDrawn,
  RefusalRecorded,
  RoundDecided,
  BatchAwaitingApproval,
  PayoutSettled,
  StatementLinesUnmatched,
} from './events';

export type NoticeKind =
  | 'act_recorded'
  | 'act_confirmation_due'
  | 'act_auto_confirmed'
  | 'act_disputed'
  | 'booking_created'
  | 'booking_accepted'
  | 'booking_declined'
  | 'certificate_issued'
  | 'certificate_expiring'
  | 'certificate_expired'
  | 'certificate_suspended'
  | 'certificate_revoked'
  | 'assessment_recognised'
  | 'programme_drawn'
  | 'refusal_recorded'
  | 'round_application_decided'
  | 'round_appeal_decided'
  | 'payout_paid'
  | 'payout_returned'
  | 'batch_awaiting_approval'
  | 'statement_lines_unmatched';

export type SubjectType = 'delivery' | 'booking' | 'certificate' | 'assessment' | 'programme' | 'application' | 'payout' | 'batch' | 'statement';

/** One notice to one person key: what happened, what to do and by when. */
export interface Notice {
  personKey: string;
  kind: NoticeKind;
  title: string;
  body: string;
  actionDueAt: string | null;
  subject: { type: SubjectType; id: string };
  /** The SMS's first sentence when the title alone would not say what to do by when. */
  sms?: string;
  /** One person of the audience the notice is not for (by token subject): the finance officer who formed the batch. */
  exceptSubject?: string;
}

const zoneOf = (regionCode: string) => DEFAULT_REGION_TIME_ZONES[regionCode] ?? 'Europe/Moscow';
const ruDate = (isoDate: string) => `${isoDate.slice(8, 10)}.${isoDate.slice(5, 7)}.${isoDate.slice(0, 4)}`;

export function actRecordedNotices(p: ActRecorded): Notice[] {
  const by = regionTimeLabel(p.confirm_by, zoneOf(p.region_code));
  return [
    {
      personKey: citizenKey(p.recipient_snils),
      kind: 'act_recorded',
      title: 'Подтвердите оказанную услугу',
      body:
        `${p.provider_name} отметил(а) оказание услуги «${p.service_name}» (${p.units} ед.) ${ruDate(p.delivered_on)} по сертификату № ${p.certificate_number}. ` +
        `Подтвердите или оспорьте её в личном кабинете до ${by}. Если вы ничего не сделаете, услуга будет считаться подтверждённой и оплачена поставщику.`,
      actionDueAt: p.confirm_by,
      subject: { type: 'delivery', id: p.delivery_id },
      sms: `Подтвердите или оспорьте услугу «${p.service_name}» от ${ruDate(p.delivered_on)} до ${by}.`,
    },
  ];
}

export function actAutoConfirmedNotices(p: ActSettled): Notice[] {
  return [
    {
      personKey: citizenKey(p.recipient_snils),
      kind: 'act_auto_confirmed',
      title: 'Услуга подтверждена автоматически',
      body:
        `Срок подтверждения истёк: услуга «${p.service_name}» (${p.units} ед.) от ${ruDate(p.delivered_on)} по сертификату № ${p.certificate_number} считается оказанной и оплачена ${p.provider_name}. ` +
        'Если услугу на самом деле не оказали, обратитесь в орган социальной защиты населения.',
      actionDueAt: null,
      subject: { type: 'delivery', id: p.delivery_id },
    },
  ];
}

export function actDisputedNotices(p: ActSettled): Notice[] {
  const part = p.resolution === 'partly_disputed' ? `частично (подтверждено ${p.confirmed_units} из ${p.units} ед.)` : `полностью (${p.units} ед.)`;
  const reason = p.dispute_reason?.trim() ? ` Причина: ${p.dispute_reason.trim()}.`.replace(/\.\.$/, '.') : '';
  return [
    {
      personKey: providerKey(p.provider_id),
      kind: 'act_disputed',
      title: 'Получатель оспорил акт',
      body:
        `Получатель оспорил ${part} акт об оказании услуги «${p.service_name}» от ${ruDate(p.delivered_on)} по сертификату № ${p.certificate_number}.${reason} ` +
        'Оспоренные единицы не оплачиваются. Свяжитесь с получателем, чтобы выяснить причину; при несогласии обратитесь в орган социальной защиты населения.',
      actionDueAt: null,
      subject: { type: 'delivery', id: p.delivery_id },
    },
  ];
}

export function bookingCreatedNotices(p: BookingCreated): Notice[] {
  const by = p.respond_by ? ` до ${regionTimeLabel(p.respond_by, zoneOf(p.region_code))}` : '';
  return [
    {
      personKey: providerKey(p.provider_id),
      kind: 'booking_created',
      title: 'Новая запись на услугу',
      body: `Получатель записался на услугу «${p.service_name}» (${p.units} ед.) по сертификату № ${p.certificate_number}. Примите запись или откажите с указанием причины в кабинете поставщика${by}.`,
      actionDueAt: p.respond_by ?? null,
      subject: { type: 'booking', id: p.booking_id },
    },
  ];
}

export function bookingAcceptedNotices(p: BookingDecided): Notice[] {
  return [
    {
      personKey: citizenKey(p.recipient_snils),
      kind: 'booking_accepted',
      title: 'Поставщик принял вашу запись',
      body: `${p.provider_name} принял(а) вашу запись на услугу «${p.service_name}». Поставщик свяжется с вами, чтобы договориться о времени; после каждой оказанной услуги подтвердите её в личном кабинете.`,
      actionDueAt: null,
      subject: { type: 'booking', id: p.booking_id },
    },
  ];
}

export function bookingDeclinedNotices(p: BookingDecided): Notice[] {
  const reason = p.reason?.trim() ? ` Причина: ${p.reason.trim()}.`.replace(/\.\.$/, '.') : '';
  return [
    {
      personKey: citizenKey(p.recipient_snils),
      kind: 'booking_declined',
      title: 'Поставщик отказал в записи',
      body: `${p.provider_name} отказал(а) в записи на услугу «${p.service_name}».${reason} Средства сертификата не списаны: выберите другого поставщика в личном кабинете или обратитесь в орган соцзащиты.`,
      actionDueAt: null,
      subject: { type: 'booking', id: p.booking_id },
    },
  ];
}

export function certificateIssuedNotices(p: CertificateIssued): Notice[] {
  return [
    {
      personKey: citizenKey(p.recipient_snils),
      kind: 'certificate_issued',
      title: 'Вам выдан социальный сертификат',
      body: `Выдан социальный сертификат № ${p.certificate_number}; он действует до ${ruDate(p.valid_until)} включительно. Выберите поставщика и запишитесь на услуги в личном кабинете до окончания срока действия.`,
      actionDueAt: null,
      subject: { type: 'certificate', id: p.certificate_id },
    },
  ];
}

const reasonOf = (reason: string | null | undefined) => (reason?.trim() ? ` Причина: ${reason.trim()}.`.replace(/\.\.$/, '.') : '');

export function certificateSuspendedNotices(p: CertificateStatusChanged): Notice[] {
  return [
    {
      personKey: citizenKey(p.recipient_snils),
      kind: 'certificate_suspended',
      title: 'Действие сертификата приостановлено',
      body:
        `Действие социального сертификата № ${p.certificate_number} приостановлено.${reasonOf(p.reason)} ` +
        'Пока оно приостановлено, записаться к поставщику и получить услуги по нему нельзя. Чтобы узнать, что нужно для возобновления, обратитесь в орган социальной защиты населения.',
      actionDueAt: null,
      subject: { type: 'certificate', id: p.certificate_id },
    },
  ];
}

export function certificateRevokedNotices(p: CertificateStatusChanged): Notice[] {
  return [
    {
      personKey: citizenKey(p.recipient_snils),
      kind: 'certificate_revoked',
      title: 'Сертификат отозван',
      body:
        `Социальный сертификат № ${p.certificate_number} отозван.${reasonOf(p.reason)} Записи к поставщикам по нему отменены. ` +
        'Если вы не согласны с решением, обжалуйте его в органе социальной защиты населения или в суде.',
      actionDueAt: null,
      subject: { type: 'certificate', id: p.certificate_id },
    },
  ];
}

function plural(n: number, one: string, few: string, many: string): string {
  const mod10 = n % 10;
  const mod100 = n % 100;
  return mod10 === 1 && mod100 !== 11 ? one : mod10 >= 2 && mod10 <= 4 && (mod100 < 12 || mod100 > 14) ? few : many;
}

/** «1 день», «3 дня», «30 дней». */
export const daysText = (n: number) => `${n} ${plural(n, 'день', 'дня', 'дней')}`;

/** The catalog's units (registry SERVICE_UNITS) as a count: «20 часов», «4 посещения»; an unknown unit is shown as given. */
const UNIT_FORMS: Record<string, [string, string, string]> = {
  hour: ['час', 'часа', 'часов'],
  visit: ['посещение', 'посещения', 'посещений'],
  day: ['день', 'дня', 'дней'],
  course: ['курс', 'курса', 'курсов'],
};
export function unitCount(n: number, unit: string): string {
  const forms = UNIT_FORMS[unit];
  return forms && Number.isInteger(n) ? `${n} ${plural(n, ...forms)}` : `${n} ${unit}`;
}

export function actConfirmationDueNotices(p: ActConfirmationDue): Notice[] {
  const by = regionTimeLabel(p.confirm_by, zoneOf(p.region_code));
  return [
    {
      personKey: citizenKey(p.recipient_snils),
      kind: 'act_confirmation_due',
      title: 'Остались сутки, чтобы подтвердить или оспорить услугу',
      body:
        `${p.provider_name} отметил(а) оказание услуги «${p.service_name}» (${p.units} ед.) ${ruDate(p.delivered_on)} по сертификату № ${p.certificate_number}, а вы её ещё не подтвердили. ` +
        `Если услугу не оказали или оказали не полностью, оспорьте акт в личном кабинете до ${by}. После этого срока услуга будет считаться подтверждённой и оплачена поставщику.`,
      actionDueAt: p.confirm_by,
      subject: { type: 'delivery', id: p.delivery_id },
      sms: `До ${by} подтвердите или оспорьте услугу «${p.service_name}» от ${ruDate(p.delivered_on)}, иначе она будет подтверждена автоматически.`,
    },
  ];
}

export function certificateExpiringNotices(p: CertificateExpiring): Notice[] {
  const left = p.days_left === 0 ? 'это последний день' : `осталось ${daysText(p.days_left)}`;
  return [
    {
      personKey: citizenKey(p.recipient_snils),
      kind: 'certificate_expiring',
      title: `Сертификат действует до ${ruDate(p.valid_until)}`,
      body:
        `Социальный сертификат № ${p.certificate_number} действует до ${ruDate(p.valid_until)} включительно — ${left}. ` +
        'Получите записанные услуги до этой даты: после неё записи будут отменены, а неиспользованный остаток вернётся в бюджет. ' +
        'Если услуги нужны и дальше, заранее обратитесь в орган социальной защиты населения за пересмотром индивидуальной программы.',
      actionDueAt: null,
      subject: { type: 'certificate', id: p.certificate_id },
      sms: `Сертификат № ${p.certificate_number} действует до ${ruDate(p.valid_until)} (${left}).`,
    },
  ];
}

export function certificateExpiredNotices(p: CertificateExpired): Notice[] {
  return [
    {
      personKey: citizenKey(p.recipient_snils),
      kind: 'certificate_expired',
      title: 'Срок действия сертификата истёк',
      body:
        `Социальный сертификат № ${p.certificate_number} больше не действует: срок его действия закончился ${ruDate(p.valid_until)}. Записи к поставщикам по нему отменены, остаток средств возвращён в бюджет. ` +
        'Если вы по-прежнему нуждаетесь в социальных услугах, обратитесь в орган социальной защиты населения: специалист проведёт обследование и при необходимости выдаст новый сертификат.',
      actionDueAt: null,
      subject: { type: 'certificate', id: p.certificate_id },
    },
  ];
}

export function assessmentRecognisedNotices(p: AssessmentRecognised): Notice[] {
  return [
    {
      personKey: citizenKey(p.recipient_snils),
      kind: 'assessment_recognised',
      title: 'Вы признаны нуждающимся в социальном обслуживании',
      body:
        'По вашему заявлению принято решение: вы признаны нуждающимся в социальном обслуживании. ' +
        `Специалист органа социальной защиты составит индивидуальную программу предоставления социальных услуг не позднее ${ruDate(p.programme_due)}. Делать ничего не нужно: мы сообщим, когда программа будет готова.`,
      actionDueAt: null,
      subject: { type: 'assessment', id: p.assessment_id },
    },
  ];
}

export function programmeDrawnNotices(p: ProgrammeDrawn): Notice[] {
  const services = p.services.map((s) => `«${s.service_name}» — ${unitCount(s.volume_per_month, s.unit)} в месяц, ${s.months} мес`).join('; ');
  return [
    {
      personKey: citizenKey(p.recipient_snils),
      kind: 'programme_drawn',
      title: 'Составлена индивидуальная программа',
      body:
        `Составлена ваша индивидуальная программа предоставления социальных услуг с ${ruDate(p.valid_from)}: ${services}. ` +
        'Следующий шаг — сертификат: специалист органа социальной защиты выдаст его по этой программе, после чего вы выберете поставщика в личном кабинете. ' +
        'Если вы не согласны с составом или объёмом услуг, обратитесь к специалисту органа социальной защиты.',
      actionDueAt: null,
      subject: { type: 'programme', id: p.programme_id },
    },
  ];
}

const REFUSAL_TITLES: Record<RefusalRecorded['subject_kind'], string> = {
  assessment: 'Отказ в признании нуждающимся в социальном обслуживании',
  certificate: 'Сертификат не выдан',
  booking: 'Отказ в записи к поставщику',
  delivery: 'Отказ по акту об оказании услуг',
};

/** Refusals whose title is not their subject's: the provider stopped working, so the booking cannot go on. */
const REFUSAL_TITLES_BY_CODE: Record<string, string> = {
  provider_suspended: 'Поставщик по вашей записи приостановил работу',
  provider_excluded: 'Поставщик по вашей записи исключён из реестра',
  budget_exhausted: 'Сертификат не выдан: средства программы распределены',
};

/** Every refusal: why, what to do next and how to appeal, as certificates words them. */
export function refusalRecordedNotices(p: RefusalRecorded): Notice[] {
  const sentence = (text: string) => (/[.!?]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`);
  return [
    {
      personKey: citizenKey(p.recipient_snils),
      kind: 'refusal_recorded',
      title: REFUSAL_TITLES_BY_CODE[p.code] ?? REFUSAL_TITLES[p.subject_kind],
      body: `${sentence(p.reason)} Что делать: ${sentence(p.next_steps)} ${sentence(p.appeal)}`,
      actionDueAt: null,
      subject: { type: p.subject_kind, id: p.subject_id },
    },
  ];
}

const points = (p: RoundDecided) => (p.total_points ? ` — ${p.total_points} баллов при проходном значении ${p.threshold}` : '');

function refusedBody(p: RoundDecided, appeal: boolean): { body: string; due: string | null } {
  const r = p.refusal;
  const reason = r?.reason ?? p.reason ?? '';
  const fix = r?.what_to_fix.length ? ` Что исправить: ${r.what_to_fix.map((t) => t.trim().replace(/[.;]$/, '')).join('; ')}.` : '';
  if (appeal) {
    return {
      body: `Комиссия рассмотрела апелляцию по заявке на участие в отборе «${p.round_title}» и оставила отказ в силе${points(p)}.${reasonOf(p.reason ?? reason)}${fix} Решение можно обжаловать в суде; в следующем отборе можно участвовать, устранив замечания.`,
      due: null,
    };
  }
  const until = r ? ` Срок апелляции — до ${regionTimeLabel(r.appeal_deadline, zoneOf(p.region_code))}. ${r.how_to_appeal}` : '';
  return { body: `Комиссия отказала в допуске по заявке на участие в отборе «${p.round_title}»${points(p)}.${reasonOf(reason)}${fix}${until}`, due: r?.appeal_deadline ?? null };
}

function roundNotices(p: RoundDecided, appeal: boolean): Notice[] {
  const kind = appeal ? 'round_appeal_decided' : 'round_application_decided';
  if (p.outcome === 'admitted') {
    return [
      {
        personKey: providerKey(p.provider_id),
        kind,
        title: appeal ? `Апелляция удовлетворена: отбор «${p.round_title}»` : `Заявка допущена: отбор «${p.round_title}»`,
        body:
          `Комиссия ${appeal ? 'по апелляции ' : ''}допустила вашу организацию по заявке на участие в отборе «${p.round_title}»${points(p)}.${reasonOf(appeal ? p.reason : null)} ` +
          'Услуги из заявки уже доступны гражданам для записи на территории отбора. Проверьте объёмы услуг в месяц в профиле организации, чтобы записи не превысили ваши возможности.',
        actionDueAt: null,
        subject: { type: 'application', id: p.application_id },
      },
    ];
  }
  const { body, due } = refusedBody(p, appeal);
  return [
    {
      personKey: providerKey(p.provider_id),
      kind,
      title: appeal ? `Апелляция отклонена: отбор «${p.round_title}»` : `Заявка не прошла отбор «${p.round_title}»`,
      body,
      actionDueAt: due,
      subject: { type: 'application', id: p.application_id },
    },
  ];
}

export const roundApplicationDecidedNotices = (p: RoundDecided) => roundNotices(p, false);
export const roundAppealDecidedNotices = (p: RoundDecided) => roundNotices(p, true);

/** «1 234 567,89 ₽» from a decimal string, without floating point. */
export function rubles(amount: string): string {
  const [int = '0', frac = ''] = amount.replace(/^-/, '').split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0');
  return `${amount.startsWith('-') ? '−' : ''}${grouped},${frac.padEnd(2, '0')}\u00a0₽`;
}

const MONTHS = ['январь', 'февраль', 'март', 'апрель', 'май', 'июнь', 'июль', 'август', 'сентябрь', 'октябрь', 'ноябрь', 'декабрь'];
const monthOf = (period: string) => `${MONTHS[Number(period.slice(5, 7)) - 1]} ${period.slice(0, 4)}`;

export function payoutPaidNotices(p: PayoutSettled): Notice[] {
  return [
    {
      personKey: providerKey(p.provider_id),
      kind: 'payout_paid',
      title: `Выплата за ${monthOf(p.period)} зачислена`,
      body:
        `Банк подтвердил перечисление ${rubles(p.amount)} на счёт ${p.bank_account}${p.booked_on ? ` ${ruDate(p.booked_on)}` : ''} — возмещение за услуги по сертификатам за ${monthOf(p.period)} (платёж ${p.reference}). ` +
        'Делать ничего не нужно. Если деньги не поступили, сообщите номер платежа в финансовый орган региона.',
      actionDueAt: null,
      subject: { type: 'payout', id: p.payout_id },
    },
  ];
}

export function payoutReturnedNotices(p: PayoutSettled): Notice[] {
  const reason = p.return_reason?.trim() ? ` Причина, указанная банком: ${p.return_reason.trim()}.`.replace(/\.\.$/, '.') : '';
  return [
    {
      personKey: providerKey(p.provider_id),
      kind: 'payout_returned',
      title: `Выплата за ${monthOf(p.period)} возвращена банком`,
      body:
        `Банк вернул платёж ${p.reference} на ${rubles(p.amount)} на счёт ${p.bank_account} — возмещение за ${monthOf(p.period)}.${reason} ` +
        'Деньги не потеряны: сумма снова числится за вашей организацией и будет перечислена в следующем реестре выплат. Проверьте банковские реквизиты в профиле организации в реестре поставщиков и исправьте их, если они неверны.',
      actionDueAt: null,
      subject: { type: 'payout', id: p.payout_id },
    },
  ];
}

export function batchAwaitingApprovalNotices(p: BatchAwaitingApproval): Notice[] {
  return [
    {
      personKey: financeKey(p.region_code),
      kind: 'batch_awaiting_approval',
      title: `Реестр выплат за ${monthOf(p.period)} ждёт второго утверждения`,
      body:
        `Сформирован реестр выплат поставщикам за ${monthOf(p.period)}: ${p.payouts} ${plural(p.payouts, 'платёж', 'платежа', 'платежей')} на ${rubles(p.total)}. ` +
        'Проверьте его и утвердите в кабинете финансиста, раздел «Расчёты» (расчёт за этот месяц): утвердить может только другой сотрудник, не тот, кто его сформировал. Пока реестр не утверждён, поставщики не получат деньги.',
      actionDueAt: null,
      subject: { type: 'batch', id: p.batch_id },
      exceptSubject: p.created_by,
    },
  ];
}

export function statementLinesUnmatchedNotices(p: StatementLinesUnmatched): Notice[] {
  const listed = (p.lines ?? []).map((l) => `№ ${l.number}: ${rubles(l.amount)}${l.counterparty_name ? `, ${l.counterparty_name}` : ''}${l.reason ? ` — ${l.reason.trim().replace(/\.$/, '')}` : ''}`);
  const more = p.count > listed.length ? ` и ещё ${p.count - listed.length}` : '';
  const lines = `${p.count} ${plural(p.count, 'строка', 'строки', 'строк')}`;
  return [
    {
      personKey: financeKey(p.region_code),
      kind: 'statement_lines_unmatched',
      title: `В выписке банка ${lines} без сопоставления`,
      body:
        `В загруженной выписке${p.statement_ref ? ` № ${p.statement_ref}` : ''}${p.file_name ? ` (${p.file_name})` : ''} ${lines} не ${p.count % 10 === 1 && p.count % 100 !== 11 ? 'сопоставлена' : 'сопоставлены'} ни с одной выплатой` +
        `${listed.length ? `: ${listed.join('; ')}${more}` : ''}. ` +
        'Разберите их в кабинете финансиста, раздел «Расхождения»: укажите выплату, к которой относится строка, или отклоните её с пояснением. До этого выплаты по ним не считаются ни зачисленными, ни возвращёнными.',
      actionDueAt: null,
      subject: { type: 'statement', id: p.statement_id },
    },
  ];
}
