import { Text } from '@gravity-ui/uikit';
import { usePageTitle } from '../../app/usePageTitle';

export function ServicesPage() {
  usePageTitle('Социальные услуги');
  return (
    <Text as="h1" variant="header-2" className="page-title">
      Социальные услуги
    </Text>
  );
}
