import { useEffect } from 'react';

const SITE = 'Социальные сертификаты';

/** The tab title names the page first, so screen readers and history say where the person is. */
export function usePageTitle(title: string | undefined): void {
  useEffect(() => {
    document.title = title ? `${title} — ${SITE}` : SITE;
  }, [title]);
}
