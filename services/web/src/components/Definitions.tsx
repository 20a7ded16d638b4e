import type { ReactNode } from 'react';

export interface Definition {
  term: string;
  value: ReactNode;
}

/** Term–value pairs as a real <dl>, in two columns on a wide screen and one on a narrow one. */
export function Definitions({ items, className }: { items: Array<Definition | null | false>; className?: string }) {
  const shown = items.filter((item): item is Definition => !!item);
  if (shown.length === 0) return null;
  return (
    <dl className={['definitions', className].filter(Boolean).join(' ')}>
      {shown.map((item) => (
        <div key={item.term} className="definitions__row">
          <dt>{item.term}</dt>
          <dd>{item.value}</dd>
        </div>
      ))}
    </dl>
  );
}
