import { useSession } from '../../session/SessionProvider';

/** The region whose deficits a person sees (their own; the ministry and control: Ulyanovsk oblast, the only region served so far) and whether they may recompute and weigh. */
export function useDeficitAccess(): { region: string; manages: boolean } {
  const { session, hasRole } = useSession();
  return { region: session?.user.region_code ?? '73', manages: hasRole('committee', 'finance', 'admin') };
}
