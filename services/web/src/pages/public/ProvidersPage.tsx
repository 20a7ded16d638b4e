import { Text } from '@gravity-ui/uikit';
import { usePageTitle } from '../../app/usePageTitle';

export function ProvidersPage() {
  usePageTitle('Поставщики услуг');
  return (
    <Text as="h1" variant="header-2" className="page-title">
      Поставщики услуг
    </Text>
  );
}
