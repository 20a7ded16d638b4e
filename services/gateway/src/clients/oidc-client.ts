import * as oidc from 'openid-client';
import { AppError, type Logger } from '@esc/service-kit';
import type { LoginTransaction } from '../data-access/session-store';
import type { IdentityProvider } from '../domain/identity-provider';

export interface OidcClientOptions {
  discoveryUrl: string;
  clientId: string;
  clientSecret: string;
  scope: string;
  /** Plain http to the provider: the development ЕСИА only (production insists on https in its config). */
  allowHttp: boolean;
  logger: Logger;
}

const unavailable = () =>
  new AppError('unavailable', 'identity_provider_unavailable', 'Госуслуги сейчас не отвечают. Повторите вход через несколько минут.');

const codeOf = (err: unknown): string => String((err as { code?: unknown }).code ?? (err as { cause?: { code?: unknown } }).cause?.code ?? '');

/** openid-client's refusals as the gateway's problems: the person is told to start again, never shown a 500. */
function refusal(err: unknown, logger: Logger): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof oidc.AuthorizationResponseError) {
    return new AppError('unauthenticated', 'sign_in_refused', 'Вход на Госуслугах не завершён (отменён или не разрешён). Начните вход заново.', { error: err.error });
  }
  if (err instanceof oidc.ResponseBodyError) {
    if (err.error === 'invalid_grant') {
      return new AppError('unauthenticated', 'sign_in_code_rejected', 'Код входа недействителен или уже использован. Начните вход заново.');
    }
    return new AppError('unauthenticated', 'sign_in_failed', 'Госуслуги отказали во входе. Начните вход заново; если ошибка повторится, сообщите в поддержку.', { error: err.error });
  }
  // openid-client wraps oauth4webapi's refusal; the reason is in either message.
  const message = [err, (err as { cause?: unknown }).cause].map((e) => (e instanceof Error ? e.message : '')).join(' ');
  if (/\biss\b|issuer/i.test(message)) {
    return new AppError('unauthenticated', 'sign_in_issuer_mismatch', 'Ответ о входе выдан не тем поставщиком удостоверений, которому мы доверяем. Начните вход заново со страницы входа.');
  }
  if (err instanceof TypeError || /ECONNREFUSED|fetch failed|timeout/i.test(message)) return unavailable();
  logger.warn({ err, code: codeOf(err) }, 'the identity provider answer was refused');
  return new AppError('unauthenticated', 'sign_in_failed', 'Ответ Госуслуг не прошёл проверку. Начните вход заново; если ошибка повторится, сообщите в поддержку.');
}

/** The gateway as an OpenID Connect relying party (openid-client): authorization code flow with PKCE, state and nonce. */
export function oidcIdentityProvider(options: OidcClientOptions): IdentityProvider {
  let configuration: Promise<oidc.Configuration> | undefined;
  // Discovered on the first sign-in, so the gateway starts even while the provider is down; a failure is tried again next time.
  const discovered = () => {
    configuration ??= oidc
      .discovery(new URL(options.discoveryUrl), options.clientId, undefined, oidc.ClientSecretBasic(options.clientSecret), {
        ...(options.allowHttp ? { execute: [oidc.allowInsecureRequests] } : {}),
        timeout: 10,
      })
      .catch((err: unknown) => {
        configuration = undefined;
        options.logger.error({ err, discoveryUrl: options.discoveryUrl }, 'identity provider discovery failed');
        throw unavailable();
      });
    return configuration;
  };

  return {
    async begin(redirectUri, returnTo) {
      const config = await discovered();
      const codeVerifier = oidc.randomPKCECodeVerifier();
      const login: LoginTransaction = { state: oidc.randomState(), nonce: oidc.randomNonce(), codeVerifier, returnTo, redirectUri };
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: options.scope,
        code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
        state: login.state,
        nonce: login.nonce,
      });
      return { url: url.href, login };
    },

    async finish(callbackUrl, login) {
      const config = await discovered();
      try {
        const tokens = await oidc.authorizationCodeGrant(
          config,
          callbackUrl,
          { pkceCodeVerifier: login.codeVerifier, expectedState: login.state, expectedNonce: login.nonce, idTokenExpected: true },
          { redirect_uri: login.redirectUri },
        );
        const claims = tokens.claims();
        if (!claims) throw new AppError('unauthenticated', 'sign_in_failed', 'Госуслуги не передали сведения о входе. Начните вход заново.');
        return { ...claims };
      } catch (err) {
        throw refusal(err, options.logger);
      }
    },
  };
}
