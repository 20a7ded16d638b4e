import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { interactionPolicy, type Configuration } from 'oidc-provider';
import { ESIA_PEOPLE, type EsiaPerson } from './users';

export interface EsiaDevOptions {
  /** The issuer identifier; also the base of every endpoint (`<issuer>/.well-known/openid-configuration`). */
  issuer: string;
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  /** Adds people whose claims are broken on purpose, for the gateway's refusal tests. */
  testPeople?: boolean;
}

/** People whose claims no real ЕСИА would send: the gateway must refuse them with a problem, never a 500. */
const TEST_PEOPLE: readonly EsiaPerson[] = [
  {
    sub: '9000001',
    username: 'test-huge-claims',
    familyName: 'Я'.repeat(20_000),
    givenName: 'Огромное',
    middleName: 'Имя',
    birthdate: '1990-01-01',
    snils: '11223344595',
    trusted: true,
    description: 'Проверка: имя длиной 20 000 знаков',
  },
  {
    sub: '9000002',
    username: 'test-bad-snils',
    familyName: 'Неверный',
    givenName: 'СНИЛС',
    middleName: 'Проверочный',
    birthdate: 'не дата',
    snils: '123',
    trusted: true,
    description: 'Проверка: СНИЛС и дата рождения не по формату',
  },
];

/** ЕСИА's scopes, narrowed to what the marketplace asks for; each names the claims it releases. */
const CLAIMS = {
  openid: ['sub'],
  fullname: ['name', 'family_name', 'given_name', 'middle_name'],
  birthdate: ['birthdate'],
  snils: ['snils', 'trusted'],
  org: ['org_inn', 'org_ogrn', 'org_name', 'org_position'],
};

const claimsOf = (p: EsiaPerson): Record<string, unknown> => ({
  sub: p.sub,
  name: [p.familyName, p.givenName, p.middleName].filter(Boolean).join(' '),
  family_name: p.familyName,
  given_name: p.givenName,
  middle_name: p.middleName,
  birthdate: p.birthdate,
  snils: p.snils,
  trusted: p.trusted,
  ...(p.org ? { org_inn: p.org.inn, org_ogrn: p.org.ogrn, org_name: p.org.name, org_position: p.org.position } : {}),
});

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title: string, body: string): string {
  return `<!doctype html><html lang="ru"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:0;background:#f2f4f7;color:#1f2733}
header{background:#0d4cd3;color:#fff;padding:16px 24px}header p{margin:4px 0 0;font-size:14px}
main{max-width:760px;margin:24px auto;padding:0 16px}
ul{list-style:none;padding:0;display:grid;gap:8px}
button{width:100%;text-align:left;padding:12px 16px;border:1px solid #c4cbd6;border-radius:8px;background:#fff;font:inherit;cursor:pointer;color:inherit}
button:hover,button:focus-visible{border-color:#0d4cd3;outline:2px solid #0d4cd3}
.who{font-weight:600}.what{color:#4a5261;font-size:14px}
.cancel{width:auto;margin-top:16px}
</style></head><body><header><h1 style="margin:0;font-size:22px">Госуслуги — учебный вход</h1><p>Учебный поставщик удостоверений для разработки и тестов. Настоящая ЕСИА здесь не используется.</p></header><main>${body}</main></body></html>`;
}

function peoplePage(uid: string, clientName: string, people: readonly EsiaPerson[]): string {
  const items = people
    .map(
      (p) => `<li><form method="post" action="/interaction/${escape(uid)}/login"><input type="hidden" name="sub" value="${escape(p.sub)}">
<button type="submit" data-username="${escape(p.username)}"><span class="who">${escape([p.familyName.slice(0, 60), p.givenName, p.middleName].join(' '))}</span><br>
<span class="what">${escape(p.description)}${p.org ? ` · ${escape(p.org.name)}, ${escape(p.org.position)}` : ''} · ${escape(p.username)}</span></button></form></li>`,
    )
    .join('\n');
  return page(
    'Вход через Госуслуги (учебный)',
    `<h2>Кем войти в «${escape(clientName)}»?</h2><p>Выберите учётную запись: вход в один щелчок, без пароля.</p><ul>${items}</ul>
<form method="post" action="/interaction/${escape(uid)}/abort"><button class="cancel" type="submit">Отказаться от входа</button></form>`,
  );
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  let text = '';
  for await (const chunk of req) {
    text += String(chunk);
    if (text.length > 10_000) throw new Error('form too large');
  }
  return new URLSearchParams(text);
}

const send = (res: ServerResponse, status: number, html: string) => {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(html);
};

/** The development ЕСИА: an OpenID provider (oidc-provider) with a one-click sign-in page. */
export function createEsiaDev(options: EsiaDevOptions): { provider: Provider; server: Server } {
  const people = options.testPeople ? [...ESIA_PEOPLE, ...TEST_PEOPLE] : ESIA_PEOPLE;
  const bySub = new Map(people.map((p) => [p.sub, p]));
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const signingJwk = { ...privateKey.export({ format: 'jwk' }), kid: randomBytes(8).toString('hex'), alg: 'RS256', use: 'sig' };

  // Every sign-in shows the one-click page, even with a session here: on a stand people switch between demo users.
  const policy = interactionPolicy.base();
  policy
    .get('login')!
    .checks.add(new interactionPolicy.Check('choose_person', 'the development ЕСИА asks whom to sign in as every time', (ctx) =>
      ctx.oidc.result?.login ? interactionPolicy.Check.NO_NEED_TO_PROMPT : interactionPolicy.Check.REQUEST_PROMPT,
    ));

  const configuration: Configuration = {
    clients: [
      {
        client_id: options.clientId,
        client_secret: options.clientSecret,
        client_name: 'Маркетплейс социальных сертификатов',
        redirect_uris: options.redirectUris,
        response_types: ['code'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    claims: CLAIMS,
    scopes: Object.keys(CLAIMS),
    // The gateway reads the person's claims from the ID token, as from ЕСИА's.
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    features: { devInteractions: { enabled: false } },
    interactions: { policy, url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    jwks: { keys: [signingJwk as never] },
    ttl: { AuthorizationCode: 60, IdToken: 300, AccessToken: 300, Interaction: 600, Session: 3600, Grant: 3600 },
    async findAccount(_ctx, sub) {
      const person = bySub.get(sub);
      if (!person) return undefined;
      return { accountId: sub, claims: async () => claimsOf(person) as { sub: string } };
    },
    renderError(ctx, out) {
      ctx.type = 'html';
      ctx.body = page('Ошибка входа', `<h2>Войти не удалось</h2><p>${escape(String(out.error_description ?? out.error))}</p>`);
    },
  };
  const provider = new Provider(options.issuer, configuration);
  provider.proxy = true;
  const callback = provider.callback();

  const interaction = async (req: IncomingMessage, res: ServerResponse, uid: string, action: string | undefined) => {
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== uid) return send(res, 400, page('Ошибка входа', '<h2>Ссылка входа устарела</h2><p>Вернитесь в маркетплейс и начните вход заново.</p>'));
    if (req.method === 'GET' && !action) {
      const client = await provider.Client.find(String(details.params.client_id));
      return send(res, 200, peoplePage(uid, client?.clientName ?? String(details.params.client_id), people));
    }
    if (req.method === 'POST' && action === 'abort') {
      return provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'Пользователь отказался от входа' }, { mergeWithLastSubmission: false });
    }
    if (req.method === 'POST' && action === 'login') {
      const sub = (await readForm(req)).get('sub') ?? '';
      if (!bySub.has(sub)) return send(res, 400, page('Ошибка входа', '<h2>Нет такой учётной записи</h2>'));
      const grant = new provider.Grant({ accountId: sub, clientId: String(details.params.client_id) });
      grant.addOIDCScope(String(details.params.scope ?? 'openid'));
      const grantId = await grant.save();
      return provider.interactionFinished(req, res, { login: { accountId: sub }, consent: { grantId } }, { mergeWithLastSubmission: false });
    }
    send(res, 404, page('Не найдено', '<h2>Нет такой страницы</h2>'));
  };

  const server = createServer((req, res) => {
    const match = /^\/interaction\/([\w-]+)(?:\/(login|abort))?\/?(?:\?.*)?$/.exec(req.url ?? '');
    if (!match) return void callback(req, res);
    interaction(req, res, match[1]!, match[2]).catch((err: unknown) => {
      if (res.headersSent) return res.destroy();
      send(res, 400, page('Ошибка входа', `<h2>Войти не удалось</h2><p>${escape(err instanceof Error ? err.message : String(err))}</p><p>Вернитесь в маркетплейс и начните вход заново.</p>`));
    });
  });
  return { provider, server };
}

export async function listenEsiaDev(server: Server, port: number, host = '127.0.0.1'): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return `http://${host}:${(server.address() as AddressInfo).port}`;
}
