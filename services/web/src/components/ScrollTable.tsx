import { useId, type ReactNode } from 'react';

/**
 * A table that scrolls sideways inside its own box on a narrow screen (the page never does). The box
 * is a labelled region that takes focus, so the keyboard can scroll it too.
 */
export function ScrollTable({ caption, captionHidden, children }: { caption: string; captionHidden?: boolean; children: ReactNode }) {
  const id = useId();
  return (
    <div className="table-scroll" role="region" aria-labelledby={id} tabIndex={0}>
      <table className="data-table">
        <caption id={id} className={captionHidden ? 'visually-hidden' : undefined}>
          {caption}
        </caption>
        {children}
      </table>
    </div>
  );
}
