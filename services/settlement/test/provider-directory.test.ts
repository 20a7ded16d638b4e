import { ServiceTokenSource } from '@esc/ledger-client';
import { startRegistry, type RegistryHarness } from 'registry/test/harness';
import { ZABOTA_ID, zabotaRegistration } from 'registry/test/fixtures';
import { RegistryProviderDirectory } from '../src/clients/provider-directory';

let registry: RegistryHarness;
let gatewayUrl: string;

beforeAll(async () => {
  registry = await startRegistry('settlement_directory');
  // The registry harness's gateway signs the settlement service token too (same JWKS).
  const jwks = new URL(registry.service.config.JWKS_URL);
  gatewayUrl = `${jwks.protocol}//${jwks.host}`;
});

afterAll(async () => {
  await registry?.stop();
});

describe('provider details from the registry', () => {
  test('When settlement reads a registered provider with its own service token, then it gets name, INN, KPP, bank details and funding mode', async () => {
    const zabota = await registry.as('zabota-admin');
    const registered = await zabota.post('/v1/providers', zabotaRegistration());
    expect(registered.status).toBe(201);
    const tokens = new ServiceTokenSource({ gatewayUrl, clientId: 'settlement', clientSecret: 'dev-secret-settlement' });
    const directory = new RegistryProviderDirectory(registry.url, tokens.token);
    const unknown = '00000000-0000-4000-8000-000000000001';
    const found = await directory.get([ZABOTA_ID, unknown]);
    expect(found.has(unknown)).toBe(false);
    expect(found.get(ZABOTA_ID)).toEqual({
      id: ZABOTA_ID,
      name: 'Автономная некоммерческая организация «Центр социальной помощи „Забота“»',
      inn: '7830002293',
      kpp: '773601001',
      fundingMode: 'compensation',
      bank: { bic: '044525225', account: '40702817300000000001', bankName: 'ПАО Сбербанк', correspondentAccount: '30101810400000000225' },
    });
  });

  test('When the registry is unreachable, then the directory answers registry_unavailable (503) instead of failing silently', async () => {
    const directory = new RegistryProviderDirectory('http://127.0.0.1:9', async () => 'token');
    await expect(directory.get([ZABOTA_ID])).rejects.toMatchObject({ kind: 'unavailable', code: 'registry_unavailable' });
  });
});
