import type { ReactNode } from 'react';
import { Link, type LinkProps } from '@gravity-ui/uikit';
import { useHref, useLinkClickHandler } from 'react-router';

type Props = Omit<LinkProps, 'href' | 'onClick'> & { to: string; children: ReactNode; replace?: boolean };

/** A Gravity UI link that navigates inside the app (history API) and is still a real <a href>. */
export function RouterLink({ to, replace, children, ...rest }: Props) {
  const href = useHref(to);
  const onClick = useLinkClickHandler<HTMLAnchorElement>(to, { replace });
  return (
    <Link {...rest} href={href} onClick={(event) => onClick(event as React.MouseEvent<HTMLAnchorElement>)}>
      {children}
    </Link>
  );
}
