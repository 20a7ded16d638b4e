import { useEffect, useRef } from 'react';
import { Text } from '@gravity-ui/uikit';

export interface SummaryItem {
  /** The id of the control the message is about; the summary links to it. */
  fieldId?: string;
  message: string;
}

/**
 * The errors of a form in one box that takes focus when they appear (GOV.UK / ГОСТ Р 52872 pattern),
 * each linking to its field; the fields show the same messages next to them.
 */
export function ErrorSummary({ title = 'Исправьте ошибки в форме', items }: { title?: string; items: SummaryItem[] }) {
  const ref = useRef<HTMLDivElement>(null);
  const key = items.map((i) => `${i.fieldId}:${i.message}`).join('|');
  useEffect(() => {
    if (key) ref.current?.focus();
  }, [key]);
  if (items.length === 0) return null;
  return (
    <div ref={ref} tabIndex={-1} role="alert" aria-labelledby="error-summary-title" className="error-summary">
      <Text as="h2" id="error-summary-title" variant="subheader-2">
        {title}
      </Text>
      <ul>
        {items.map((item, index) => (
          <li key={index}>
            {item.fieldId ? (
              <a
                href={`#${item.fieldId}`}
                onClick={(event) => {
                  event.preventDefault();
                  document.getElementById(item.fieldId!)?.focus();
                }}
              >
                {item.message}
              </a>
            ) : (
              item.message
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
