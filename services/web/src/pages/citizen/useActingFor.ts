import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { useSession } from '../../session/SessionProvider';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: string) => UUID.test(value);

export interface ActingFor {
  /** The signed-in person may act for a recipient (case worker or admin). */
  canActFor: boolean;
  /** The recipient chosen in `?recipient=`, when the person may act for one. */
  recipientId: string | undefined;
  /** A case worker who has not chosen a recipient yet: the "me" lists have nobody to show. */
  needsRecipient: boolean;
  /** The query of the "me" endpoints: `recipient_id` when acting for someone. */
  meQuery: { recipient_id?: string };
  /** A cabinet path that keeps `?recipient=` so the case worker stays with the same person. */
  link(to: string): string;
  setRecipient(id: string | undefined): void;
}

/**
 * A case worker (or admin) acts for a citizen in the same cabinet pages: the recipient is kept in
 * the URL (`?recipient=<uuid>`) so that links, reloads and the back button stay with that person,
 * and the "me" endpoints get it as `recipient_id`. A citizen never has one: the API knows them by
 * their SNILS.
 */
export function useActingFor(): ActingFor {
  const { hasRole } = useSession();
  const [params, setParams] = useSearchParams();
  const canActFor = hasRole('caseworker', 'admin');
  const isCitizen = hasRole('citizen');
  const raw = params.get('recipient') ?? '';
  const recipientId = canActFor && isUuid(raw) ? raw.toLowerCase() : undefined;

  const link = useCallback(
    (to: string) => {
      if (!recipientId) return to;
      const [path, hash] = to.split('#', 2) as [string, string | undefined];
      const joined = `${path}${path.includes('?') ? '&' : '?'}recipient=${recipientId}`;
      return hash === undefined ? joined : `${joined}#${hash}`;
    },
    [recipientId],
  );

  const setRecipient = useCallback(
    (id: string | undefined) =>
      setParams((previous) => {
        const next = new URLSearchParams(previous);
        if (id) next.set('recipient', id.toLowerCase());
        else next.delete('recipient');
        return next;
      }),
    [setParams],
  );

  return useMemo(
    () => ({
      canActFor,
      recipientId,
      needsRecipient: canActFor && !isCitizen && !recipientId,
      meQuery: recipientId ? { recipient_id: recipientId } : {},
      link,
      setRecipient,
    }),
    [canActFor, isCitizen, recipientId, link, setRecipient],
  );
}
