import { LedgerUnavailableError, type LedgerAccount } from '@esc/ledger-client';

/** Pages through GET /v1/accounts (500 a page): many balances in a few requests instead of one each. */
export class LedgerAccountsReader {
  constructor(
    private readonly baseUrl: string,
    private readonly token: () => Promise<string>,
  ) {}

  async *list(query: { code: string; region_code: string }): AsyncGenerator<LedgerAccount[]> {
    let after: string | null = null;
    do {
      const url = new URL('/v1/accounts', this.baseUrl);
      url.searchParams.set('code', query.code);
      url.searchParams.set('region_code', query.region_code);
      url.searchParams.set('limit', '500');
      if (after) url.searchParams.set('after', after);
      let response: Response;
      try {
        response = await fetch(url, { headers: { authorization: `Bearer ${await this.token()}` } });
      } catch (err) {
        throw new LedgerUnavailableError(`ledger unreachable: ${(err as Error).message}`);
      }
      if (!response.ok) throw new LedgerUnavailableError(`ledger could not list accounts: ${response.status} ${await response.text()}`, response.status);
      const page = (await response.json()) as { items: LedgerAccount[]; next_cursor: string | null };
      yield page.items;
      after = page.next_cursor;
    } while (after);
  }
}
