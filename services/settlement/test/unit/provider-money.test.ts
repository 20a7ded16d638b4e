import { stageOf } from '../../src/domain/provider-money';

test('When a payout moves from its batch to the bank, then the provider reads its stage: in a batch, sent, paid, returned, withheld', () => {
  expect(stageOf({ status: 'pending', batch_status: 'draft' })).toBe('in_batch');
  expect(stageOf({ status: 'pending', batch_status: 'approving' })).toBe('in_batch');
  expect(stageOf({ status: 'pending', batch_status: 'approved' })).toBe('sent');
  expect(stageOf({ status: 'in_transit', batch_status: 'approved' })).toBe('sent');
  expect(stageOf({ status: 'paid', batch_status: 'approved' })).toBe('paid');
  expect(stageOf({ status: 'returned', batch_status: 'approved' })).toBe('returned');
  expect(stageOf({ status: 'withheld', batch_status: 'draft' })).toBe('withheld');
});
