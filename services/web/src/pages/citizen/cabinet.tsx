import { lazy, Suspense, type ReactNode } from 'react';
import { Text } from '@gravity-ui/uikit';
import type { QueryClient } from '@tanstack/react-query';
import type { CertificatesSchemas } from '../../api/client';
import { usePageTitle } from '../../app/usePageTitle';
import { days } from '../../format/date';
import { useActingFor } from './useActingFor';

// Only case workers and admins see the panel: citizens do not load its form code.
const ActingForPanel = lazy(() => import('./ActingForPanel').then((m) => ({ default: m.ActingForPanel })));

/** After an action, every list the cabinet shows is read again (certificates, bookings, acts, history). */
export function refreshCabinet(queryClient: QueryClient): Promise<void> {
  return queryClient.invalidateQueries({
    predicate: (query) => {
      const path = query.queryKey[1];
      return typeof path === 'string' && (path.startsWith('/v1/me/') || path.startsWith('/v1/certificates/') || path.startsWith('/v1/bookings/'));
    },
  });
}

/** The frame of a cabinet page: the tab title, the one h1, and the case worker's panel under it. */
export function CabinetPage({ title, heading, lead, children }: { title: string; heading?: ReactNode; lead?: ReactNode; children: ReactNode }) {
  usePageTitle(title);
  const { canActFor } = useActingFor();
  return (
    <div className="stack cabinet">
      <Text as="h1" variant="header-2" className="page-title">
        {heading ?? title}
      </Text>
      {lead ? <Text as="p" className="cabinet__lead">{lead}</Text> : null}
      {canActFor ? (
        <Suspense fallback={null}>
          <ActingForPanel />
        </Suspense>
      ) : null}
      {children}
    </div>
  );
}

export type Tone = 'success' | 'warning' | 'danger' | 'info' | 'normal';

export const CERTIFICATE_TONE: Record<CertificatesSchemas['CertificateStatus'], Tone> = {
  issuing: 'info',
  refused: 'danger',
  issued: 'info',
  active: 'success',
  suspended: 'warning',
  exhausted: 'normal',
  expired: 'normal',
  revoked: 'danger',
};

/** A status in words, in the primary text colour; the coloured mark only repeats what the words say. */
export function Status({ tone = 'normal', children }: { tone?: Tone; children: string }) {
  return <span className={`status status--${tone}`}>{children}</span>;
}

/** «Сгорает через 12 дней» when the certificate ends within 30 days. */
export function ExpiryMark({ daysLeft }: { daysLeft: number | null }) {
  if (daysLeft == null || daysLeft <= 0 || daysLeft > 30) return null;
  return <Status tone="warning">{daysLeft === 1 ? 'Сгорает сегодня — последний день' : `Сгорает через ${days(daysLeft)}`}</Status>;
}
