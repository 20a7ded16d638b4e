import { Link, Text } from '@gravity-ui/uikit';
import { usePageTitle } from './usePageTitle';

export function NotFoundPage() {
  usePageTitle('Страница не найдена');
  return (
    <div className="stack">
      <Text as="h1" variant="header-2" className="page-title">
        Страница не найдена
      </Text>
      <Text>
        Такой страницы нет. Проверьте адрес или перейдите на <Link href="/">главную страницу</Link>.
      </Text>
    </div>
  );
}
