import { Alert, Text } from '@gravity-ui/uikit';
import { formatDate, regionDate } from '../format/date';
import type { Problem } from '../api/problem';

export interface RefusalView {
  code: string;
  /** The reason in the person's words (a problem's `detail`). */
  reason: string;
  next_steps: string;
  appeal: string;
  /** When the refusal was made (stored refusals carry it). */
  at?: string | null;
}

const MONTHS: Record<string, number> = { одного: 1, двух: 2, трёх: 3, трех: 3, шести: 6 };

/**
 * The last day to appeal, when the appeal text states a term in months ("в течение трёх месяцев")
 * and the refusal's date is known; otherwise the text alone says how.
 */
export function appealDeadline(appeal: string, at: string | null | undefined): string | undefined {
  if (!at) return undefined;
  const match = /в течение (\d+|одного|двух|трёх|трех|шести) месяц/i.exec(appeal);
  if (!match) return undefined;
  const months = /^\d+$/.test(match[1]!) ? Number(match[1]) : MONTHS[match[1]!.toLowerCase()];
  const start = new Date(at);
  if (!months || Number.isNaN(start.getTime())) return undefined;
  // The region's calendar date, then the same day N months later.
  const [y, m, d] = regionDate(start).split('-').map(Number) as [number, number, number];
  const end = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastDay = new Date(Date.UTC(end.getUTCFullYear(), end.getUTCMonth() + 1, 0)).getUTCDate();
  end.setUTCDate(Math.min(d, lastDay));
  return formatDate(end.toISOString().slice(0, 10));
}

/** A refusal's body when a problem is one (it carries next steps and the appeal route). */
export function refusalFromProblem(problem: Problem): RefusalView | undefined {
  const { next_steps: nextSteps, appeal } = problem.body;
  if (typeof nextSteps !== 'string' || typeof appeal !== 'string') return undefined;
  return { code: problem.code, reason: problem.message, next_steps: nextSteps, appeal };
}

/**
 * A refusal as the person must see it: what was refused and why, what to do now, and how and until
 * when to appeal, each under its own label (nothing told by colour alone).
 */
export function RefusalDetails({ refusal, title, name, headingLevel = 3 }: { refusal: RefusalView; title?: string; name: string; headingLevel?: 2 | 3 | 4 }) {
  const deadline = appealDeadline(refusal.appeal, refusal.at);
  return (
    <Alert
      theme="danger"
      view="outlined"
      layout="vertical"
      title={
        <Text as={`h${headingLevel}`} variant="subheader-2" className="refusal__title">
          {title ?? `Отказ: ${name}`}
        </Text>
      }
      message={
        <dl className="definitions refusal">
          <div className="definitions__row">
            <dt>Код отказа</dt>
            <dd>
              {name} (<code>{refusal.code}</code>)
            </dd>
          </div>
          {refusal.at ? (
            <div className="definitions__row">
              <dt>Дата решения</dt>
              <dd>{formatDate(refusal.at)}</dd>
            </div>
          ) : null}
          <div className="definitions__row">
            <dt>Причина</dt>
            <dd>{refusal.reason}</dd>
          </div>
          <div className="definitions__row">
            <dt>Что делать дальше</dt>
            <dd>{refusal.next_steps}</dd>
          </div>
          <div className="definitions__row">
            <dt>Как обжаловать</dt>
            <dd>
              {refusal.appeal}
              {deadline ? <strong> Срок обжалования — до {deadline} включительно.</strong> : null}
            </dd>
          </div>
        </dl>
      }
    />
  );
}
