import { forbidden, validationFailed, withTransaction, type Principal } from '@esc/service-kit';
import * as store from '../data-access/delivery-store';
import { citizenKey, financeKey, providerKey } from './audience';
import { chosenChannels, kindsOf, KINDS, type Audience, type Contact, type OutboundChannel } from './channels';
import type { Deps } from './context';
import type { NoticeKind } from './templates';

export interface KindChoice {
  kind: NoticeKind;
  email: boolean;
  sms: boolean;
}

export interface Settings {
  email: string | null;
  phone: string | null;
  /** Every kind of notice the caller's audience receives, with the channels it goes to besides the inbox. */
  channels: KindChoice[];
}

export interface SettingsChange {
  email?: string | null;
  phone?: string | null;
  channels?: KindChoice[];
}

/**
 * The key whose contacts the caller sets: a citizen their own, a provider's admin the provider's, a
 * finance officer their region's finance office's (a shared address: the officers share the audience).
 */
export function managedKey(principal: Principal): { key: string; audience: Audience } {
  if (principal.kind === 'user' && principal.roles.includes('citizen') && principal.snils) return { key: citizenKey(principal.snils), audience: 'citizen' };
  if (principal.kind === 'user' && principal.roles.includes('provider_admin') && principal.providerId) return { key: providerKey(principal.providerId), audience: 'provider' };
  if (principal.kind === 'user' && principal.roles.includes('finance') && principal.regionCode) return { key: financeKey(principal.regionCode), audience: 'finance' };
  throw forbidden('Адрес и телефон для уведомлений задают получатель сертификата, администратор поставщика и финансист региона.', 'forbidden');
}

function settingsOf(contact: Contact | undefined, audience: Audience): Settings {
  return {
    email: contact?.email ?? null,
    phone: contact?.phone ?? null,
    channels: kindsOf(audience).map((kind) => {
      const chosen = chosenChannels(kind, contact);
      return { kind, email: chosen.includes('email'), sms: chosen.includes('sms') };
    }),
  };
}

export async function readSettings(deps: Deps, principal: Principal): Promise<Settings> {
  const { key, audience } = managedKey(principal);
  return settingsOf(await store.findContact(deps.orm.em.fork(), key), audience);
}

/** Changes what the body names and keeps the rest; a kind named sets its channels, the others keep theirs. */
export async function changeSettings(deps: Deps, principal: Principal, input: SettingsChange): Promise<Settings> {
  const { key, audience } = managedKey(principal);
  const foreign = (input.channels ?? []).map((c, i) => ({ c, i })).filter(({ c }) => KINDS[c.kind].audience !== audience);
  if (foreign.length) {
    throw validationFailed(foreign.map(({ c, i }) => ({ field: `channels.${i}.kind`, message: `уведомления «${c.kind}» вам не приходят — выберите из тех, что перечислены в настройках` })));
  }
  return withTransaction(deps.orm.em.fork(), async (tx) => {
    const current = await store.findContact(tx, key);
    const channels: Partial<Record<string, OutboundChannel[]>> = { ...(current?.channels ?? {}) };
    for (const choice of input.channels ?? []) channels[choice.kind] = [...(choice.email ? (['email'] as const) : []), ...(choice.sms ? (['sms'] as const) : [])];
    const next: Contact = {
      person_key: key,
      email: input.email === undefined ? (current?.email ?? null) : input.email,
      phone: input.phone === undefined ? (current?.phone ?? null) : input.phone,
      channels,
    };
    await store.upsertContact(tx, next, principal.subject);
    return settingsOf(next, audience);
  });
}
