import { Money } from '@esc/money';
import {
  actDifferences,
  confirmedUnitsOfPost,
  decideRecording,
  decideSettlement,
  resolutionOf,
  type ActField,
  type ActIdentity,
  type LockedForRecording,
  type RecordedUsage,
} from '../../src/domain/redemption';

const m = (s: string) => Money.parse(s);
const TODAY = '2026-11-24';

/** A home-care line of 20 hours a month for 6 months at 312.40 an hour, free of fee, booked in full and accepted. */
function locked(overrides: Partial<LockedForRecording> = {}): LockedForRecording {
  return {
    certificate_status: 'active',
    valid_from: '2026-11-01',
    valid_to: '2027-04-30',
    net_amount: '37488.00',
    volume: 120,
    unit_cost: '312.40',
    booking_status: 'accepted',
    booking_units: 120,
    provider_standing: null,
    ...overrides,
  };
}

const unused: RecordedUsage = { lineUnits: 0, lineAmount: Money.zero(), bookingUnits: 0 };
const act = (units: number, delivered_on = '2026-11-20') => ({ units, delivered_on });

/** Decides the acts one after another on the same line and booking, as a batch does; answers each decision. */
function inTurn(state: LockedForRecording, units: number[], usage: RecordedUsage = unused) {
  const decisions = [];
  for (const u of units) {
    const decision = decideRecording(state, usage, act(u), TODAY);
    decisions.push(decision);
    if (decision.kind === 'accept') usage = decision.usage;
  }
  return { decisions, usage };
}

describe('decideRecording: whether a provider’s act is accepted and what it holds', () => {
  test('When an accepted booking records 2 hours on an unused line, then it holds 2 × 312.40 and counts 2 units in use on the line and the booking', () => {
    const decision = decideRecording(locked(), unused, act(2), TODAY);
    expect(decision).toEqual({ kind: 'accept', amount: m('624.80'), gross: m('624.80'), usage: { lineUnits: 2, lineAmount: m('624.80'), bookingUnits: 2 } });
  });

  test('When the usage passed in is decided on, then it is left as it was (the caller threads the new usage)', () => {
    const usage: RecordedUsage = { lineUnits: 3, lineAmount: m('937.20'), bookingUnits: 3 };
    decideRecording(locked(), usage, act(1), TODAY);
    expect(usage).toEqual({ lineUnits: 3, lineAmount: m('937.20'), bookingUnits: 3 });
  });

  test('When the person pays part of the cost, then the line’s value is spread over its volume by cumulative rounding and the acts add up to it to the kopeck', () => {
    // 3 visits at 400.00, 1 000.00 of it on the certificate: 333.33, then 666.67 − 333.33, then 1 000.00 − 666.67.
    const { decisions, usage } = inTurn(locked({ net_amount: '1000.00', volume: 3, unit_cost: '400.00', booking_units: 3 }), [1, 1, 1]);
    expect(decisions.map((d) => (d.kind === 'accept' ? [d.amount.toString(), d.gross.toString()] : d))).toEqual([
      ['333.33', '400.00'],
      ['333.34', '400.00'],
      ['333.33', '400.00'],
    ]);
    expect(usage).toEqual({ lineUnits: 3, lineAmount: m('1000.00'), bookingUnits: 3 });
  });

  test('When the line is worth one kopeck over three units, then the act that crosses the half kopeck charges it; once the value is all in use the last unit is refused', () => {
    // round(0.01 × 2 / 3) = 0.01 already: nothing is left for the third unit, and a line with nothing left refuses acts.
    const { decisions, usage } = inTurn(locked({ net_amount: '0.01', volume: 3, booking_units: 3 }), [1, 1, 1]);
    expect(decisions.map((d) => (d.kind === 'accept' ? d.amount.toString() : d.kind === 'refuse' ? d.code : d.problem))).toEqual(['0.00', '0.01', 'insufficient_balance']);
    expect(usage).toEqual({ lineUnits: 2, lineAmount: m('0.01'), bookingUnits: 2 });
  });

  test('When one kopeck of the line’s value is left and its last unit is recorded, then the act holds exactly that kopeck', () => {
    const decision = decideRecording(locked(), { lineUnits: 119, lineAmount: m('37487.99'), bookingUnits: 119 }, act(1), TODAY);
    expect(decision).toMatchObject({ kind: 'accept', amount: m('0.01'), usage: { lineUnits: 120, lineAmount: m('37488.00') } });
  });

  test('When the fee covers the whole line (value 0.00), then the act is accepted and holds nothing', () => {
    const decision = decideRecording(locked({ net_amount: '0.00' }), unused, act(5), TODAY);
    expect(decision).toMatchObject({ kind: 'accept', amount: m('0.00'), gross: m('1562.00') });
  });

  test('When the line’s value is already all in use, then the act is refused with insufficient_balance', () => {
    expect(decideRecording(locked(), { lineUnits: 100, lineAmount: m('37488.00'), bookingUnits: 100 }, act(1), TODAY)).toEqual({ kind: 'refuse', code: 'insufficient_balance' });
  });

  test('When the act asks for more units than the booking has left, then it is refused with units_beyond_booking; exactly what is left is accepted', () => {
    const state = locked({ booking_units: 10 });
    const usage: RecordedUsage = { lineUnits: 8, lineAmount: m('2499.20'), bookingUnits: 8 };
    expect(decideRecording(state, usage, act(3), TODAY)).toEqual({ kind: 'refuse', code: 'units_beyond_booking' });
    expect(decideRecording(state, usage, act(2), TODAY)).toMatchObject({ kind: 'accept', usage: { bookingUnits: 10 } });
  });

  test('When the act asks for more units than the line has left (another booking used the rest), then it is refused with units_beyond_booking', () => {
    const usage: RecordedUsage = { lineUnits: 119, lineAmount: m('37175.60'), bookingUnits: 0 };
    expect(decideRecording(locked(), usage, act(2), TODAY)).toEqual({ kind: 'refuse', code: 'units_beyond_booking' });
    expect(decideRecording(locked(), usage, act(1), TODAY)).toMatchObject({ kind: 'accept', amount: m('312.40') });
  });

  test('When acts of one batch together pass the booking, then the first ones are accepted and the one that passes it is refused', () => {
    const { decisions } = inTurn(locked({ booking_units: 5 }), [2, 2, 2, 1]);
    expect(decisions.map((d) => (d.kind === 'accept' ? 'accept' : d.kind === 'refuse' ? d.code : d.problem))).toEqual(['accept', 'accept', 'units_beyond_booking', 'accept']);
  });

  test.each(['requested', 'declined', 'cancelled'])('When the booking is %s, then the act is rejected as booking_not_accepted, before any refusal', (status) => {
    expect(decideRecording(locked({ booking_status: status, certificate_status: 'revoked' }), unused, act(1), TODAY)).toEqual({ kind: 'reject', problem: 'booking_not_accepted' });
  });

  test.each(['suspended', 'expired', 'revoked', 'exhausted', 'issuing', 'refused'])('When the certificate is %s, then the act is refused with certificate_not_active', (status) => {
    expect(decideRecording(locked({ certificate_status: status }), unused, act(1), TODAY)).toEqual({ kind: 'refuse', code: 'certificate_not_active' });
  });

  test('When the certificate is issued (no booking accepted before this one), then acts are accepted as on an active one', () => {
    expect(decideRecording(locked({ certificate_status: 'issued' }), unused, act(1), TODAY).kind).toBe('accept');
  });

  test.each([
    ['the first day of validity', '2026-11-01', 'accept'],
    ['today', TODAY, 'accept'],
    ['the day before validity', '2026-10-31', 'refuse'],
    ['tomorrow', '2026-11-25', 'refuse'],
  ])('When the service was delivered on %s, then the act is %sed', (_, deliveredOn, kind) => {
    const decision = decideRecording(locked(), unused, act(1, deliveredOn), TODAY);
    expect(decision.kind).toBe(kind);
    if (kind === 'refuse') expect(decision).toEqual({ kind: 'refuse', code: 'date_outside_validity' });
  });

  test('When the validity ended before today, then its last day is accepted and the day after refused', () => {
    const state = locked({ valid_to: '2026-11-15' });
    expect(decideRecording(state, unused, act(1, '2026-11-15'), TODAY).kind).toBe('accept');
    expect(decideRecording(state, unused, act(1, '2026-11-16'), TODAY)).toEqual({ kind: 'refuse', code: 'date_outside_validity' });
  });

  test('When the registry has suspended the booking’s provider, then the act is refused with provider_suspended, before the certificate, date and money are looked at', () => {
    expect(decideRecording(locked({ provider_standing: 'suspended' }), unused, act(2), TODAY)).toEqual({ kind: 'refuse', code: 'provider_suspended' });
    expect(decideRecording(locked({ provider_standing: 'suspended', certificate_status: 'expired' }), unused, act(2, '2030-01-01'), TODAY)).toEqual({ kind: 'refuse', code: 'provider_suspended' });
  });

  test('When the registry has excluded the booking’s provider, then the act is refused with provider_excluded', () => {
    expect(decideRecording(locked({ provider_standing: 'excluded' }), unused, act(2), TODAY)).toEqual({ kind: 'refuse', code: 'provider_excluded' });
  });

  test('When the provider was re-admitted (or no registry event about it arrived), then its act is decided as usual', () => {
    for (const provider_standing of ['admitted', null]) {
      expect(decideRecording(locked({ provider_standing }), unused, act(2), TODAY)).toMatchObject({ kind: 'accept', amount: m('624.80') });
    }
  });

  test('When the booking is not accepted, then that is rejected first, whatever the provider’s standing', () => {
    expect(decideRecording(locked({ provider_standing: 'suspended', booking_status: 'requested' }), unused, act(2), TODAY)).toEqual({ kind: 'reject', problem: 'booking_not_accepted' });
  });
});

describe('decideSettlement: what settling an act posts', () => {
  const held = (amount: string, units: number) => ({ status: 'held', amount, units });

  test('When every unit is confirmed, then the whole hold is posted', () => {
    expect(decideSettlement(held('937.20', 3), { confirmedUnits: 3 })).toEqual({ kind: 'settle', held: m('937.20'), posted: m('937.20') });
  });

  test('When part is confirmed, then the confirmed share of the hold is posted, rounded half-up', () => {
    expect(decideSettlement(held('937.20', 3), { confirmedUnits: 2 })).toMatchObject({ posted: m('624.80') });
    expect(decideSettlement(held('1000.00', 3), { confirmedUnits: 1 })).toMatchObject({ posted: m('333.33') });
    expect(decideSettlement(held('1000.00', 3), { confirmedUnits: 2 })).toMatchObject({ posted: m('666.67') });
    expect(decideSettlement(held('0.01', 2), { confirmedUnits: 1 })).toMatchObject({ posted: m('0.01') });
  });

  test('When nothing is confirmed, then nothing is posted (the hold is voided)', () => {
    expect(decideSettlement(held('624.80', 2), { confirmedUnits: 0, disputeReason: 'Не оказана' })).toEqual({ kind: 'settle', held: m('624.80'), posted: m('0.00') });
  });

  test.each(['posted', 'voided'])('When the act is already %s, then settling is rejected as delivery_already_resolved', (status) => {
    expect(decideSettlement({ status, amount: '624.80', units: 2 }, { confirmedUnits: 2 })).toEqual({ kind: 'reject', problem: 'delivery_already_resolved' });
  });

  test.each(['authorising', 'refused'])('When the act is %s, then settling is rejected as delivery_not_held', (status) => {
    expect(decideSettlement({ status, amount: '624.80', units: 2 }, { confirmedUnits: 2 })).toEqual({ kind: 'reject', problem: 'delivery_not_held' });
  });
});

describe('resolutionOf and confirmedUnitsOfPost', () => {
  test('When settled, then the resolution says how: a lapsed hold, the window, a full or partial dispute, or a confirmation', () => {
    expect(resolutionOf(3, { confirmedUnits: 3 }, true)).toBe('hold_expired');
    expect(resolutionOf(3, { confirmedUnits: 3, auto: true }, false)).toBe('auto_confirmed');
    expect(resolutionOf(3, { confirmedUnits: 0 }, false)).toBe('disputed');
    expect(resolutionOf(3, { confirmedUnits: 2 }, false)).toBe('partly_disputed');
    expect(resolutionOf(3, { confirmedUnits: 3 }, false)).toBe('confirmed');
  });

  test('When a post’s amount is read back, then it gives the confirmed units that produce it, or undefined when none does', () => {
    expect(confirmedUnitsOfPost(m('1000.00'), 3, m('1000.00'))).toBe(3);
    expect(confirmedUnitsOfPost(m('1000.00'), 3, m('666.67'))).toBe(2);
    expect(confirmedUnitsOfPost(m('1000.00'), 3, m('333.33'))).toBe(1);
    expect(confirmedUnitsOfPost(m('1000.00'), 3, m('500.00'))).toBeUndefined();
    // Two unit counts round to the same kopeck: the larger is taken.
    expect(confirmedUnitsOfPost(m('0.02'), 3, m('0.01'))).toBe(2);
  });
});

describe('actDifferences: whether an act id sent again carries the same act', () => {
  const recorded: ActIdentity = { booking_id: 'b1', delivered_on: '2026-11-20', units: 2, staff: { name: 'Попова Анна Сергеевна', position: 'социальный работник' } };

  test('When every defining field is the same, then it is the same act (a repeat)', () => {
    expect(actDifferences(recorded, { ...recorded, staff: { ...recorded.staff } })).toEqual([]);
  });

  test.each<[string, Partial<ActIdentity>, ActField[]]>([
    ['other units', { units: 5 }, ['units']],
    ['another date', { delivered_on: '2026-11-21' }, ['delivered_on']],
    ['another booking', { booking_id: 'b2' }, ['booking_id']],
    ['another staff name', { staff: { name: 'Петрова Анна Сергеевна', position: 'социальный работник' } }, ['staff.name']],
    ['a position spelt in another case', { staff: { name: 'Попова Анна Сергеевна', position: 'Социальный работник' } }, ['staff.position']],
    ['other units and date', { units: 1, delivered_on: '2026-11-19' }, ['delivered_on', 'units']],
  ])('When the act comes again with %s, then it differs in exactly those fields', (_, change, fields) => {
    expect(actDifferences(recorded, { ...recorded, ...change })).toEqual(fields);
  });
});
