import type { ReactNode } from 'react';
import { Text } from '@gravity-ui/uikit';
import type { CertificatesSchemas } from '../../api/client';
import { usePageTitle } from '../../app/usePageTitle';
import { days } from '../../format/date';
import { useSession } from '../../session/SessionProvider';
import { districtOf, type DistrictOption } from '../public/lookups';

type S = CertificatesSchemas;

/** The region the case worker works in (the token's region; the API refuses any other). */
export function useWorkerRegion(): string {
  const { session } = useSession();
  return session?.user.region_code ?? '73';
}

/** The frame of a case worker's page: the tab title and the one h1. */
export function DeskPage({ title, heading, lead, children }: { title: string; heading?: ReactNode; lead?: ReactNode; children: ReactNode }) {
  usePageTitle(title);
  return (
    <div className="stack desk">
      <Text as="h1" variant="header-2" className="page-title">
        {heading ?? title}
      </Text>
      {lead ? <Text as="p">{lead}</Text> : null}
      {children}
    </div>
  );
}

export { formatSnils } from '../../format/snils';

export const fullName = (r: { last_name: string; first_name: string; middle_name: string | null }) => [r.last_name, r.first_name, r.middle_name].filter(Boolean).join(' ');

export const districtName = (code: string, districts: DistrictOption[]) => districtOf(code, districts)?.name ?? `ОКТМО ${code}`;

export const ASSESSMENT_STATE: Record<S['AssessmentStatus'], string> = {
  open: 'Ждёт решения о нуждаемости',
  recognised: 'Признан нуждающимся, ждёт программы',
  refused: 'Отказано',
  programme_drawn: 'Программа составлена',
};

export const DEADLINE: Record<'decision' | 'programme', string> = {
  decision: 'решение о нуждаемости',
  programme: 'индивидуальная программа',
};

export const SOURCE: Record<S['Assessment']['source'], string> = {
  application: 'заявление',
  life_event: 'жизненная ситуация',
  bulk_import: 'массовая выдача',
};

export const ASSESSMENT_REFUSALS: Array<{ code: S['AssessmentRefusalCode']; label: string }> = [
  { code: 'not_in_need', label: 'Не признан нуждающимся (обстоятельства не подтвердились)' },
  { code: 'documents_incomplete', label: 'Не представлены необходимые документы' },
  { code: 'not_resident', label: 'Не проживает в регионе' },
];

export const SERVICE_FORM: Record<S['ServiceForm'], string> = { home: 'на дому', day_care: 'полустационарная', residential: 'стационарная' };

/** Whole days from one calendar date to another (both YYYY-MM-DD). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** «просрочено на 3 дня», «сегодня последний день», «осталось 2 дня» — the deadline in words, never by colour alone. */
export function deadlineText(due: string, today: string): string {
  const left = daysBetween(today, due);
  if (left < 0) return `просрочено на ${days(-left)}`;
  if (left === 0) return 'сегодня последний день';
  return `осталось ${days(left)}`;
}

export const BULK_STATE: Record<S['BulkIssueStatus'], string> = { queued: 'В очереди', running: 'Выдаются сертификаты', completed: 'Завершена', failed: 'Остановлена с ошибкой' };
