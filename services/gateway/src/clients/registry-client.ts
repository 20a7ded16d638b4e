import { AppError } from '@esc/service-kit';
import type { ProviderRegistry } from '../domain/provider-registry';

export function registryClient(baseUrl: string, timeoutMs: number): ProviderRegistry {
  return {
    async register(token, registration) {
      try {
        const res = await fetch(`${baseUrl.replace(/\/+$/, '')}/v1/providers`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify(registration),
          signal: AbortSignal.timeout(timeoutMs),
        });
        const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
        return { status: res.status, body };
      } catch {
        throw new AppError('unavailable', 'service_unavailable', 'Сервис реестра поставщиков сейчас не отвечает. Повторите через минуту; заполненные данные сохранятся на странице.', { service: 'registry' });
      }
    },
  };
}
