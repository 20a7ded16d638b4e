import { serviceMetrics } from '@esc/service-kit';

/** Business counters on /metrics: incremented once the use case's transaction commits (a counter increment, nothing more). */
export const payoutsPaid = serviceMetrics('settlement').counter('settlement_payouts_paid_total', 'Payouts the bank statement confirmed as paid, once posted to the ledger.');
