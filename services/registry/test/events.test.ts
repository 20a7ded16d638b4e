import { createRedis, Queue } from '@esc/service-kit';
import { REGISTRY_EVENTS_QUEUE, registryRoutes } from '../src/app';
import { startRegistry, type RegistryHarness } from './harness';

let registry: RegistryHarness;

beforeAll(async () => {
  registry = await startRegistry('events', { OUTBOX_RELAY_ENABLED: true });
});
afterAll(async () => {
  await registry?.stop();
});

describe('Outbox relay', () => {
  it('When a new cost version is published, then catalog.cost_changed reaches the registry-events queue with the outbox event id', async () => {
    const committee = await registry.as('committee-73');
    const res = await committee.post('/v1/catalog/services/HOME-PSYCH-VISIT/costs', {
      region_code: '73',
      valid_from: '2026-08-01',
      amount: '999.99',
      reason: 'Индексация нормативов',
    });
    expect(res.status).toBe(201);
    const [written] = await registry.outbox('catalog.cost_changed');
    const redis = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    const queue = new Queue(REGISTRY_EVENTS_QUEUE, { connection: redis, prefix: registry.service.config.QUEUE_PREFIX });
    try {
      let job;
      for (let i = 0; i < 100 && !job; i++) {
        job = await queue.getJob(written!.id);
        if (!job) await new Promise((r) => setTimeout(r, 50));
      }
      expect(job?.name).toBe('catalog.cost_changed');
      expect(job?.data).toMatchObject({ id: written!.id, topic: 'catalog.cost_changed', payload: { service_code: 'HOME-PSYCH-VISIT', amount: '999.99', previous_amount: '954.30' } });
    } finally {
      await queue.obliterate({ force: true });
      await queue.close();
      await redis.quit();
    }
  });
});

describe('Routes', () => {
  test('When the relay routes the registry\'s events, then the provider status changes also go to certificates\' and settlement\'s inboxes, the committee\'s decisions to the notifications inbox, and the cost changes only to registry-events', () => {
    expect(registryRoutes('certificates-inbox', 'notifications-inbox', 'settlement-inbox')).toEqual({
      'catalog.cost_changed': [REGISTRY_EVENTS_QUEUE],
      'provider.admitted': [REGISTRY_EVENTS_QUEUE, 'certificates-inbox', 'settlement-inbox'],
      'provider.suspended': [REGISTRY_EVENTS_QUEUE, 'certificates-inbox', 'settlement-inbox'],
      'provider.excluded': [REGISTRY_EVENTS_QUEUE, 'certificates-inbox', 'settlement-inbox'],
      'round.application_decided': [REGISTRY_EVENTS_QUEUE, 'notifications-inbox'],
      'round.appeal_decided': [REGISTRY_EVENTS_QUEUE, 'notifications-inbox'],
    });
    expect(registry.service.config.CERTIFICATES_INBOX_QUEUE).toBe('certificates-inbox');
    expect(registry.service.config.SETTLEMENT_INBOX_QUEUE).toBe('settlement-inbox');
    expect(registry.service.config.NOTIFICATIONS_QUEUE).toBe('notifications-inbox');
  });
});
