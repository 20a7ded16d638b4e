import type { ReactNode } from 'react';
import { Text } from '@gravity-ui/uikit';
import type { FieldErrors } from 'react-hook-form';
import { usePageTitle } from '../../app/usePageTitle';
import type { SummaryItem } from '../../forms/ErrorSummary';
import { useSession } from '../../session/SessionProvider';

/** The organisation the signed-in person works for: the session's provider_id (RequireSignIn lets only its people in). */
export function useProviderId(): string {
  return useSession().session?.user.provider_id ?? '';
}

/** The frame of a provider's cabinet page: the tab title, the one h1 and a lead. */
export function ProviderPage({ title, lead, children }: { title: string; lead?: ReactNode; children: ReactNode }) {
  usePageTitle(title);
  return (
    <div className="stack cabinet">
      <Text as="h1" variant="header-2" className="page-title">
        {title}
      </Text>
      {lead ? (
        <Text as="p" className="cabinet__lead">
          {lead}
        </Text>
      ) : null}
      {children}
    </div>
  );
}

/** A form's own validation errors as the error summary's items, each linking to its field. */
export function summaryOf<T extends Record<string, unknown>>(errors: FieldErrors<T>, ids: Record<string, string>): SummaryItem[] {
  return Object.entries(errors).flatMap(([key, error]) => {
    const message = error && typeof error === 'object' && 'message' in error ? error.message : undefined;
    return typeof message === 'string' && message ? [{ fieldId: ids[key], message }] : [];
  });
}
