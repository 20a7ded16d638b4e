import type { certificates } from '@esc/api-types';
import type { BudgetProgrammeListItem, IssueQuote, QueuedAssessment } from '../domain/caseworker-desk';
import { assessmentView, budgetProgrammeBalanceView, budgetProgrammeView } from './presenters';

type Schemas = certificates.components['schemas'];

export function queuedAssessmentView(a: QueuedAssessment): Schemas['QueuedAssessment'] {
  return {
    ...assessmentView(a),
    recipient: {
      id: a.recipient_id,
      full_name: [a.recipient_last_name, a.recipient_first_name, a.recipient_middle_name].filter(Boolean).join(' '),
      snils: a.recipient_snils,
      district_code: a.recipient_district_code,
    },
    deadline: a.deadline,
    due: a.due,
    overdue: a.overdue,
  };
}

export function budgetProgrammeListItemView(item: BudgetProgrammeListItem): Schemas['BudgetProgrammeListItem'] {
  return {
    ...budgetProgrammeView(item.programme),
    funded: item.balance?.funded ?? null,
    committed: item.balance?.committed ?? null,
    available: item.balance?.available ?? null,
    balance_unavailable: item.balance === null,
    held: item.held,
    redeemed: item.redeemed,
    ledger_balance: item.ledgerBalance,
  };
}

export function issueQuoteView(q: IssueQuote): Schemas['CertificateQuote'] {
  return {
    programme_id: q.programmeId,
    recipient_id: q.recipientId,
    issued_on: q.issuedOn,
    valid_from: q.quote.validFrom,
    valid_to: q.quote.validTo,
    gross_amount: q.quote.gross.toString(),
    fee_amount: q.quote.fee.toString(),
    value: q.quote.value.toString(),
    fee_calculation: q.quote.feeCalculation,
    lines: q.quote.lines.map((l, index) => ({
      line_no: index + 1,
      service_code: l.service_code,
      service_name: l.service_name,
      form: l.form,
      unit: l.unit,
      volume_per_month: l.volume_per_month,
      months: l.months,
      volume: l.volume,
      unit_cost: l.unit_cost.toString(),
      gross_amount: l.gross.toString(),
      fee_amount: l.fee.toString(),
      value: l.net.toString(),
    })),
    budget_programme: budgetProgrammeBalanceView(q.budget),
    available_after: q.availableAfter.toString(),
    covered: q.covered,
  };
}
