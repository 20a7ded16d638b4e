export interface ServiceTokenOptions {
  gatewayUrl: string;
  clientId: string;
  clientSecret: string;
  scope?: string;
}

/** A client-credentials token from the gateway, fetched once and renewed a minute before it expires. */
export class ServiceTokenSource {
  private cached: { token: string; renewAt: number } | undefined;
  private pending: Promise<string> | undefined;

  constructor(private readonly options: ServiceTokenOptions) {}

  token = (): Promise<string> => {
    if (this.cached && Date.now() < this.cached.renewAt) return Promise.resolve(this.cached.token);
    this.pending ??= this.fetchToken().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  };

  private async fetchToken(): Promise<string> {
    const response = await fetch(new URL('/v1/auth/service-token', this.options.gatewayUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        grant_type: 'client_credentials',
        client_id: this.options.clientId,
        client_secret: this.options.clientSecret,
        ...(this.options.scope ? { scope: this.options.scope } : {}),
      }),
    });
    if (!response.ok) throw new Error(`gateway refused service token for ${this.options.clientId}: ${response.status} ${await response.text()}`);
    const body = (await response.json()) as { access_token: string; expires_in: number };
    this.cached = { token: body.access_token, renewAt: Date.now() + Math.max(0, body.expires_in - 60) * 1000 };
    return body.access_token;
  }
}
