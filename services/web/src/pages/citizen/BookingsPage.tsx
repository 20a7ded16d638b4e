import { Text } from '@gravity-ui/uikit';
import { usePageTitle } from '../../app/usePageTitle';

export function BookingsPage() {
  usePageTitle('Мои записи');
  return (
    <Text as="h1" variant="header-2" className="page-title">
      Мои записи
    </Text>
  );
}
