import { Text } from '@gravity-ui/uikit';
import { usePageTitle } from '../../app/usePageTitle';

export function ServicePage() {
  usePageTitle('Услуга');
  return (
    <Text as="h1" variant="header-2" className="page-title">
      Услуга
    </Text>
  );
}
