import type { ReactNode } from 'react';
import { Text } from '@gravity-ui/uikit';
import { usePageTitle } from '../../app/usePageTitle';
import { RouterLink } from '../../components/RouterLink';
import { useSession } from '../../session/SessionProvider';

/** The frame of a committee page: the tab title, the one h1, a lead and the way back. */
export function CommitteePage({ title, heading, lead, back, children }: { title: string; heading?: ReactNode; lead?: ReactNode; back?: { to: string; label: string }; children: ReactNode }) {
  usePageTitle(title);
  return (
    <div className="stack committee">
      {back ? (
        <Text as="p" className="committee__back">
          <RouterLink to={back.to}>← {back.label}</RouterLink>
        </Text>
      ) : null}
      <Text as="h1" variant="header-2" className="page-title">
        {heading ?? title}
      </Text>
      {lead ? <Text as="p" className="cabinet__lead">{lead}</Text> : null}
      {children}
    </div>
  );
}

export type Tone = 'success' | 'warning' | 'danger' | 'info' | 'normal';

/** A status in words; the coloured mark only repeats what the words say. */
export function Status({ tone = 'normal', children }: { tone?: Tone; children: string }) {
  return <span className={`status status--${tone}`}>{children}</span>;
}

/** The committee's own region (a committee account always carries one); admins fall back to the demo region. */
export function useCommitteeRegion(): string {
  const { session } = useSession();
  return session?.user.region_code ?? '73';
}

/** A section of the page with its own h2, labelled by it. */
export function Section({ id, title, children, actions }: { id: string; title: string; children: ReactNode; actions?: ReactNode }) {
  return (
    <section aria-labelledby={id} className="stack">
      <div className="row committee__section-head">
        <Text as="h2" variant="header-1" id={id}>
          {title}
        </Text>
        {actions}
      </div>
      {children}
    </section>
  );
}
