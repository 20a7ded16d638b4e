import type { ReactNode } from 'react';
import { Button, type ButtonPin, type ButtonSize, type ButtonView } from '@gravity-ui/uikit';
import { useHref, useLinkClickHandler } from 'react-router';

interface Props {
  to: string;
  children: ReactNode;
  view?: ButtonView;
  size?: ButtonSize;
  pin?: ButtonPin;
  width?: 'auto' | 'max';
  selected?: boolean;
  disabled?: boolean;
  loading?: boolean;
  replace?: boolean;
  state?: unknown;
  className?: string;
  title?: string;
  'aria-label'?: string;
  'aria-describedby'?: string;
}

/** A link that looks like a button: a real <a href> (opens in a new tab, read as a link), navigated inside the app. */
export function RouterButton({ to, children, replace, state, disabled, ...rest }: Props) {
  const href = useHref(to);
  const onClick = useLinkClickHandler<HTMLAnchorElement>(to, { replace, state });
  if (disabled) {
    return (
      <Button {...rest} disabled>
        {children}
      </Button>
    );
  }
  return (
    <Button {...rest} href={href} onClick={onClick}>
      {children}
    </Button>
  );
}
