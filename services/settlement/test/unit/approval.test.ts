import { decideApproval } from '../../src/domain/approval';
import { codeThrown, financeOf, person } from './principals';

const draft = {
  id: 'batch-1',
  region_code: '73',
  status: 'draft' as const,
  created_by: 'finance:alice',
  approved_by: null,
  payouts: 3,
};
const alice = financeOf('73', 'finance:alice');
const bob = financeOf('73', 'finance:bob');
const carol = financeOf('73', 'finance:carol');

describe('decideApproval: four eyes on a payout batch', () => {
  test('a second finance officer of the region approves a draft with payouts', () => {
    expect(decideApproval(draft, bob)).toBe('approve');
  });

  test('the officer who formed the batch may not approve it', () => {
    expect(codeThrown(() => decideApproval(draft, alice))).toBe('four_eyes_required');
  });

  test('the creator is refused even after someone else approved', () => {
    expect(codeThrown(() => decideApproval({ ...draft, status: 'approving', approved_by: bob.subject }, alice))).toBe('four_eyes_required');
  });

  test('the approver asking again is answered with the batch as it is, whatever its posting state', () => {
    expect(decideApproval({ ...draft, status: 'approving', approved_by: bob.subject }, bob)).toBe('unchanged');
    expect(decideApproval({ ...draft, status: 'approved', approved_by: bob.subject }, bob)).toBe('unchanged');
  });

  test('a third officer cannot approve a batch already approved', () => {
    expect(codeThrown(() => decideApproval({ ...draft, status: 'approved', approved_by: bob.subject }, carol))).toBe('batch_already_approved');
  });

  test('a batch with nothing to transfer is not approved', () => {
    expect(codeThrown(() => decideApproval({ ...draft, payouts: 0 }, bob))).toBe('batch_empty');
  });

  test('only finance of the batch’s own region approves; other roles and regions are refused first', () => {
    expect(codeThrown(() => decideApproval(draft, financeOf('77', 'finance:dave')))).toBe('other_region');
    expect(codeThrown(() => decideApproval(draft, person('auditor:eve', ['auditor'])))).toBe('finance_only');
    expect(codeThrown(() => decideApproval({ ...draft, payouts: 0 }, person('admin:root', ['admin'])))).toBe('finance_only');
  });
});
