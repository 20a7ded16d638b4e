import type { ReactNode } from 'react';
import { Button, type ButtonSize, type ButtonView } from '@gravity-ui/uikit';
import { useHref, useLinkClickHandler } from 'react-router';

interface Props {
  to: string;
  children: ReactNode;
  view?: ButtonView;
  size?: ButtonSize;
  width?: 'auto' | 'max';
  className?: string;
}

/** A call to action such as «Найти поставщика»: styled as a button, yet a real <a href> navigated inside the app. */
export function ActionLink({ to, children, view = 'action', size = 'l', width, className }: Props) {
  const href = useHref(to);
  const onClick = useLinkClickHandler<HTMLAnchorElement>(to);
  return (
    <Button view={view} size={size} width={width} className={className} href={href} onClick={onClick}>
      {children}
    </Button>
  );
}
