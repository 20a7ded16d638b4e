/** The registry's provider registration, as the gateway calls it for a representative it vouches for. */
export interface ProviderRegistry {
  /** POST /v1/providers with the given bearer token; the registry's answer, whatever it is. */
  register(token: string, registration: Record<string, unknown>): Promise<{ status: number; body: Record<string, unknown> }>;
}
