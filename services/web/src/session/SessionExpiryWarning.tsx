import { useEffect, useState } from 'react';
import { Dialog, Text } from '@gravity-ui/uikit';
import { useNavigate } from 'react-router';
import { toProblem } from '../api/problem';
import { useSecondsLeft, useSession } from './SessionProvider';

const WARN_BEFORE_SECONDS = 120;

/** Two minutes before the session ends, a dialog offers «Продлить»; at the end the person is signed out. */
export function SessionExpiryWarning() {
  const { session, extend, signOut } = useSession();
  const navigate = useNavigate();
  const secondsLeft = useSecondsLeft(session?.expires_at);
  const [error, setError] = useState<string>();
  const open = secondsLeft !== undefined && secondsLeft <= WARN_BEFORE_SECONDS;

  useEffect(() => {
    if (secondsLeft === 0) {
      void signOut().then(() => navigate('/sign-in?expired=1'));
    }
  }, [secondsLeft, signOut, navigate]);

  if (!open || secondsLeft === 0) return null;
  const minutes = Math.floor(secondsLeft / 60);
  const seconds = String(secondsLeft % 60).padStart(2, '0');
  return (
    <Dialog open onClose={() => undefined} size="s" aria-labelledby="session-expiry-title" disableOutsideClick>
      <Dialog.Header caption="Сеанс скоро завершится" id="session-expiry-title" />
      <Dialog.Body>
        <Text as="p">
          Через {minutes}:{seconds} мы завершим сеанс, чтобы никто не воспользовался вашим кабинетом. Несохранённые данные будут потеряны.
        </Text>
        {error ? (
          <Text as="p" color="danger" role="alert">
            {error}
          </Text>
        ) : null}
      </Dialog.Body>
      <Dialog.Footer
        textButtonApply="Продлить"
        textButtonCancel="Выйти"
        onClickButtonApply={() => extend().then(() => setError(undefined), (e: unknown) => setError(toProblem(e).message))}
        onClickButtonCancel={() => void signOut().then(() => navigate('/'))}
      />
    </Dialog>
  );
}
