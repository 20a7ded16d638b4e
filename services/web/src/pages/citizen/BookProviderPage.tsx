import { Text } from '@gravity-ui/uikit';
import { usePageTitle } from '../../app/usePageTitle';

export function BookProviderPage() {
  usePageTitle('Выбор поставщика');
  return (
    <Text as="h1" variant="header-2" className="page-title">
      Выбор поставщика
    </Text>
  );
}
