import type { ReactNode } from 'react';
import { Alert, Button, Loader, Text } from '@gravity-ui/uikit';
import { toProblem } from '../api/problem';
import { problemMessage } from '../i18n/problem-messages';

/** Loading, a problem told in Russian with a retry, or the content. */
export function PageState({ loading, error, retry, children }: { loading: boolean; error: unknown; retry?: () => void; children: ReactNode }) {
  if (loading) {
    return (
      <div className="row" role="status" aria-live="polite">
        <Loader size="s" />
        <Text>Загрузка…</Text>
      </div>
    );
  }
  if (error) return <ProblemAlert error={error} retry={retry} />;
  return <>{children}</>;
}

export function ProblemAlert({ error, retry }: { error: unknown; retry?: () => void }) {
  const problem = toProblem(error);
  return (
    <Alert
      theme="danger"
      title={problemMessage(problem.code) === problem.message ? 'Ошибка' : problemMessage(problem.code)}
      message={problem.message}
      actions={retry ? <Button onClick={retry}>Повторить</Button> : undefined}
    />
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="stack card-pad" role="status">
      <Text variant="subheader-2">{title}</Text>
      {children ? <Text color="secondary">{children}</Text> : null}
    </div>
  );
}
