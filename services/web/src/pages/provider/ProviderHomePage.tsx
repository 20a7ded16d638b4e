import { Text } from '@gravity-ui/uikit';
import { usePageTitle } from '../../app/usePageTitle';

export function ProviderHomePage() {
  usePageTitle('Кабинет поставщика');
  return (
    <div className="stack">
      <Text as="h1" variant="header-2" className="page-title">
        Кабинет поставщика
      </Text>
    </div>
  );
}
