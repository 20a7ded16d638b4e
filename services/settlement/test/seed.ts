import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { LedgerClient, ledgerAccountIds, uuidV5 } from '@esc/ledger-client';
import type { ProviderDetails } from '../src/clients/provider-directory';

/** A valid-looking 10-digit INN for synthetic provider k (check digit computed). */
export function syntheticInn(k: number): string {
  const body = `73${String(k).padStart(7, '0')}`;
  const weights = [2, 4, 10, 3, 5, 9, 4, 6, 8];
  const check = (weights.reduce((s, w, i) => s + w * Number(body[i]), 0) % 11) % 10;
  return body + String(check);
}

export function syntheticProviders(count: number, tag: string): ProviderDetails[] {
  return Array.from({ length: count }, (_, k) => ({
    id: uuidV5(`bench-provider/${tag}/${k}`),
    name: `АНО «Социальный поставщик № ${k + 1}»`,
    inn: syntheticInn(k),
    kpp: '732501001',
    fundingMode: 'compensation' as const,
    bank: { bic: '047308602', account: `40703810${String(k).padStart(12, '0')}`, bankName: 'Ульяновское отделение № 8588 ПАО Сбербанк', correspondentAccount: '30101810000000000602' },
  }));
}

/**
 * Posted redemption lines written straight into settlement's table, as if `redemption.posted` had been
 * consumed `lines` times: provider k gets lines k, k + P, k + 2P… of 1 unit × 100.00 less a fee of
 * 10.00 on every tenth line.
 */
export async function seedRedemptions(databaseUrl: string, providers: ProviderDetails[], lines: number, period: string, programmeId: string): Promise<void> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(
      `with inserted as (
       insert into settlement.redemptions (redemption_id, event_id, certificate_id, certificate_number, certificate_line_id, booking_id,
         provider_id, funding_mode, region_code, budget_programme_id, budget_programme_code, service_code, service_name, unit, units,
         unit_cost, gross_amount, fee_amount, amount, delivered_on, posted_at, ledger_transfer_id, payable_account_id)
       select gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), '73-' || i, gen_random_uuid(), gen_random_uuid(),
              p.id, 'compensation', '73', $4::uuid, 'SOC-HOME-73', 'HOME-HOUSEHOLD-HOUR', 'Социально-бытовые услуги на дому', 'hour', 1,
              100.00, 100.00, case when i % 10 = 0 then 10.00 else 0 end, case when i % 10 = 0 then 90.00 else 100.00 end,
              ($3 || '-01')::date + (i % 28), now(), gen_random_uuid(), p.payable
         from generate_series(0, $1::int - 1) i
         join unnest($2::uuid[], $5::uuid[]) with ordinality as p(id, payable, k) on p.k = (i % array_length($2::uuid[], 1)) + 1
       returning redemption_id, region_code, delivered_on)
       insert into settlement.unsettled (redemption_id, region_code, delivered_on) select redemption_id, region_code, delivered_on from inserted`,
      [lines, providers.map((p) => p.id), period, programmeId, providers.map((p) => ledgerAccountIds.providerPayable(p.id))],
    );
    await client.query('analyze settlement.redemptions');
    await client.query('analyze settlement.unsettled');
  } finally {
    await client.end();
  }
}

/** What each provider's payable holds after seedRedemptions (the certificates side's postings, summed). */
export function expectedEarnings(providerCount: number, lines: number): bigint[] {
  const earned = Array.from({ length: providerCount }, () => 0n);
  for (let i = 0; i < lines; i++) earned[i % providerCount]! += i % 10 === 0 ? 9000n : 10000n;
  return earned;
}

/** Opens every provider's payable in the ledger and credits it with what it earned, from the region's treasury. */
export async function fundPayables(ledger: LedgerClient, providers: ProviderDetails[], earnedKopecks: bigint[]): Promise<void> {
  const treasury = ledgerAccountIds.treasurySource('73');
  await ledger.createAccount({ id: treasury, ledger: 'RUB', code: 'treasury_source', owner: { type: 'region', id: '73' }, region_code: '73' });
  const queue = providers.map((p, i) => ({ p, i }));
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      for (let item = queue.shift(); item; item = queue.shift()) {
        await ledger.createAccount({
          id: ledgerAccountIds.providerPayable(item.p.id),
          ledger: 'RUB',
          code: 'provider_payable',
          owner: { type: 'provider', id: item.p.id },
          region_code: '73',
        });
      }
    }),
  );
  const transfers = providers.map((p, i) => ({
    id: randomUUID(),
    debit_account_id: treasury,
    credit_account_id: ledgerAccountIds.providerPayable(p.id),
    amount: `${earnedKopecks[i]! / 100n}.${String(earnedKopecks[i]! % 100n).padStart(2, '0')}`,
    code: 'redeem',
  }));
  for (let i = 0; i < transfers.length; i += 8000) {
    const results = await ledger.submitTransfers(transfers.slice(i, i + 8000));
    const failed = results.filter((r) => r.status === 'failed');
    if (failed.length) throw new Error(`funding refused: ${JSON.stringify(failed.slice(0, 3))}`);
  }
}
