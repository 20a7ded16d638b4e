import type { ReactNode } from 'react';
import { Text } from '@gravity-ui/uikit';
import type { FieldErrors } from 'react-hook-form';
import type { QueryClient } from '@tanstack/react-query';
import { usePageTitle } from '../../app/usePageTitle';
import { useSession } from '../../session/SessionProvider';
import type { SummaryItem } from '../../forms/ErrorSummary';

export { currentPeriod, periodName, previousPeriod } from './periods';

/** The frame of a finance page: the tab title, the one h1 and a lead paragraph. */
export function FinancePage({ title, lead, children }: { title: string; lead?: ReactNode; children: ReactNode }) {
  usePageTitle(title);
  return (
    <div className="stack finance">
      <Text as="h1" variant="header-2" className="page-title">
        {title}
      </Text>
      {lead ? <Text as="p">{lead}</Text> : null}
      {children}
    </div>
  );
}

/** The region the signed-in officer works with; auditors (no region of their own) read region 73, the only one served today. */
export function useFinanceRegion(): { regionCode: string; canAct: boolean } {
  const { session, hasRole } = useSession();
  return { regionCode: session?.user.region_code ?? '73', canAct: hasRole('finance') };
}

export type Tone = 'success' | 'warning' | 'danger' | 'info' | 'normal';

/** A status in words; the coloured mark only repeats what the words say. */
export function Status({ tone = 'normal', children }: { tone?: Tone; children: string }) {
  return <span className={`status status--${tone}`}>{children}</span>;
}

export const RUN_STATUS: Record<string, { text: string; tone: Tone }> = {
  queued: { text: 'В очереди', tone: 'info' },
  running: { text: 'Выполняется', tone: 'warning' },
  completed: { text: 'Завершён', tone: 'success' },
};

export const FUNDING_MODE: Record<string, string> = { compensation: 'Компенсация', state_assignment: 'Госзадание' };

/** After a finance action every settlement list is read again. */
export function refreshSettlement(queryClient: QueryClient): Promise<void> {
  return queryClient.invalidateQueries({
    predicate: (query) => typeof query.queryKey[1] === 'string' && (query.queryKey[1] as string).startsWith('/v1/'),
  });
}

/** The form's client-side errors as the summary's items, each linked to its control. */
export function summaryOf<T extends Record<string, unknown>>(errors: FieldErrors<T>, ids: Record<string, string>): SummaryItem[] {
  return Object.entries(errors).flatMap(([key, error]) => {
    const message = error && typeof error === 'object' && 'message' in error ? error.message : undefined;
    return typeof message === 'string' && message ? [{ fieldId: ids[key], message }] : [];
  });
}
