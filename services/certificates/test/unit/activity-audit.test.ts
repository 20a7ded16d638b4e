import { activityAuditOf } from '../../src/domain/activity-audit';

const event = (topic: string, payload: Record<string, unknown>) => ({ id: 'e1', topic, occurred_at: '2026-12-07T10:00:00.000Z', payload });
const act = { delivery_id: 'd1', recipient_id: 'r1', booking_id: 'b1', certificate_id: 'c1', provider_id: 'p1', units: 3, delivered_on: '2026-12-01' };

describe('activityAuditOf: one audit record per act or booking transition, from its event', () => {
  test('When an act is held, then act.held by who recorded it, with nothing before', () => {
    expect(activityAuditOf(event('act.recorded', { ...act, amount: '937.20', confirm_by: '2026-12-10T10:00:00.000Z', recorded_by: 'provider:zabota-staff' }))).toEqual({
      actor: 'provider:zabota-staff',
      actor_name: null,
      at: new Date('2026-12-07T10:00:00.000Z'),
      entry: {
        action: 'act.held',
        object_type: 'act',
        object_id: 'd1',
        on_behalf_of: 'r1',
        before: null,
        after: { status: 'held', booking_id: 'b1', certificate_id: 'c1', provider_id: 'p1', delivered_on: '2026-12-01', units: 3, amount: '937.20', confirm_by: '2026-12-10T10:00:00.000Z' },
      },
    });
  });

  test.each(['confirmed', 'auto_confirmed', 'partly_disputed'])('When an act is posted (%s), then its record comes from redemption.posted', (resolution) => {
    const record = activityAuditOf(
      event('redemption.posted', { redemption_id: 'd1', recipient_id: 'r1', units: 1, amount: '312.40', resolution, resolved_by: 'citizen:1', act_units: 3, held_amount: '937.20', dispute_reason: null }),
    );
    expect(record?.entry).toMatchObject({
      action: `act.${resolution}`,
      object_id: 'd1',
      before: { status: 'held', units: 3, amount: '937.20' },
      after: { status: 'posted', resolution, confirmed_units: 1, posted_amount: '312.40' },
    });
    expect(record?.actor).toBe('citizen:1');
  });

  test('When an act is voided, then act.disputed or act.hold_expired; a partly disputed act’s act.disputed and act.auto_confirmed add nothing (redemption.posted records them)', () => {
    const voided = (topic: string, resolution: string) => activityAuditOf(event(topic, { ...act, status: 'voided', resolution, resolved_by: 'x', held_amount: '937.20', dispute_reason: 'Не приходил' }));
    expect(voided('act.disputed', 'disputed')?.entry).toMatchObject({ action: 'act.disputed', after: { status: 'voided', confirmed_units: 0, posted_amount: '0.00', dispute_reason: 'Не приходил' } });
    expect(voided('act.hold_expired', 'hold_expired')?.entry.action).toBe('act.hold_expired');
    expect(activityAuditOf(event('act.disputed', { ...act, status: 'posted', resolution: 'partly_disputed' }))).toBeUndefined();
    expect(activityAuditOf(event('act.auto_confirmed', { ...act, status: 'posted', resolution: 'auto_confirmed' }))).toBeUndefined();
  });

  test('When a booking changes, then booking.* with the status it left and reached; other topics have no record', () => {
    const booking = { booking_id: 'b1', recipient_id: 'r1', actor: 'provider:zabota-admin', actor_name: 'Иванов И. И.', status: 'declined', previous_status: 'requested', decline_code: 'other', reason: 'Нет мест' };
    expect(activityAuditOf(event('booking.declined', booking))).toMatchObject({
      actor: 'provider:zabota-admin',
      actor_name: 'Иванов И. И.',
      entry: { action: 'booking.declined', object_type: 'booking', before: { status: 'requested' }, after: { status: 'declined', decline_code: 'other', reason: 'Нет мест' } },
    });
    expect(activityAuditOf(event('booking.created', { ...booking, status: 'requested', previous_status: null }))?.entry.before).toBeNull();
    expect(activityAuditOf(event('certificate.issued', {}))).toBeUndefined();
    expect(activityAuditOf(event('booking.cancelled', { booking_id: 'b1', status: 'cancelled' }))?.actor).toBe('unknown');
  });
});
