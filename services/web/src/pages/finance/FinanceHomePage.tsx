import { Text } from '@gravity-ui/uikit';
import { usePageTitle } from '../../app/usePageTitle';

export function FinanceHomePage() {
  usePageTitle('Финансовый кабинет');
  return (
    <div className="stack">
      <Text as="h1" variant="header-2" className="page-title">
        Финансовый кабинет
      </Text>
    </div>
  );
}
