import type { FieldValues, Path, UseFormSetError } from 'react-hook-form';
import type { Problem } from '../api/problem';
import type { SummaryItem } from './ErrorSummary';

/**
 * Puts a problem's `errors[]` next to the form's fields (the API names fields as JSON paths, e.g.
 * `units` or `body.units`) and returns the summary: field errors link to their control, the rest
 * (or the problem itself, with its next steps when it gives them) are listed without a link.
 */
export function applyProblem<T extends FieldValues>(problem: Problem, setError: UseFormSetError<T>, fields: Record<string, { name: Path<T>; id: string }>): SummaryItem[] {
  const items: SummaryItem[] = [];
  for (const error of problem.errors) {
    const key = error.field.replace(/^(body|query|path)\./, '');
    const field = fields[key];
    if (field) {
      setError(field.name, { type: 'server', message: error.message });
      items.push({ fieldId: field.id, message: error.message });
    } else {
      items.push({ message: `${error.field}: ${error.message}` });
    }
  }
  if (items.length === 0) items.push({ message: problem.message });
  // A refusal says what to do next (certificates' `next_steps`): said beside the reason, not dropped.
  const nextSteps = problem.body.next_steps;
  if (typeof nextSteps === 'string' && nextSteps) items.push({ message: `Что делать: ${nextSteps}` });
  return items;
}
