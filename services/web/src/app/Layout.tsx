import { lazy, Suspense } from 'react';
import { Button, Loader, Text } from '@gravity-ui/uikit';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { useLowVision } from '../a11y/LowVision';
import { RouterLink } from '../components/RouterLink';
import { useSession } from '../session/SessionProvider';
import { navFor } from './cabinets';
import { InboxLink } from '../pages/notifications/InboxLink';

// Only signed-in people need the expiry dialog, so visitors do not download it.
const SessionExpiryWarning = lazy(() => import('../session/SessionExpiryWarning').then((m) => ({ default: m.SessionExpiryWarning })));

const PUBLIC_NAV = [
  { to: '/services', label: 'Услуги' },
  { to: '/providers', label: 'Поставщики' },
  { to: '/situations', label: 'Жизненные ситуации' },
  { to: '/rounds', label: 'Отборы поставщиков' },
  { to: '/dashboard', label: 'Показатели области' },
];

export function Layout() {
  const { session, signOut } = useSession();
  const lowVision = useLowVision();
  const navigate = useNavigate();
  const location = useLocation();
  const onSignInPage = location.pathname === '/sign-in';
  const cabinetNav = navFor(session?.user.roles ?? []);
  return (
    <>
      <a className="skip-link" href="#main">
        Перейти к основному содержанию
      </a>
      <header className="app-header">
        <RouterLink to="/" className="app-header__brand" view="primary">
          Социальные сертификаты · Ульяновская область
        </RouterLink>
        <div className="app-header__actions">
          <Button view="outlined" onClick={lowVision.toggle} aria-pressed={lowVision.enabled}>
            {lowVision.enabled ? 'Обычная версия' : 'Версия для слабовидящих'}
          </Button>
          {session ? (
            <>
              <InboxLink />
              <RouterLink to="/profile" view="secondary">
                {session.user.name}
              </RouterLink>
              <Button
                view="flat"
                onClick={async () => {
                  await signOut();
                  navigate('/');
                }}
              >
                Выйти
              </Button>
            </>
          ) : onSignInPage ? null : (
            <Button view="action" onClick={() => navigate('/sign-in')}>
              Войти
            </Button>
          )}
        </div>
        <nav aria-label="Навигатор услуг" className="app-header__nav" style={{ flexBasis: '100%' }}>
          {PUBLIC_NAV.map((item) => (
            <RouterLink key={item.to} to={item.to}>
              {item.label}
            </RouterLink>
          ))}
          {cabinetNav.map((item) => (
            <RouterLink key={item.to} to={item.to}>
              {item.label}
            </RouterLink>
          ))}
        </nav>
      </header>
      <main id="main" className="app-main" tabIndex={-1}>
        <Suspense fallback={<Loader size="m" />}>
          <Outlet />
        </Suspense>
      </main>
      <footer className="app-footer">
        <Text color="secondary">
          Министерство социального развития Ульяновской области · Социальные сертификаты по 189-ФЗ · Телефон горячей линии: 8 800 000-00-00
        </Text>
      </footer>
      {session ? (
        <Suspense fallback={null}>
          <SessionExpiryWarning />
        </Suspense>
      ) : null}
    </>
  );
}
