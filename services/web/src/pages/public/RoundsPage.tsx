import { Text } from '@gravity-ui/uikit';
import { usePageTitle } from '../../app/usePageTitle';

export function RoundsPage() {
  usePageTitle('Отборы поставщиков');
  return (
    <Text as="h1" variant="header-2" className="page-title">
      Отборы поставщиков
    </Text>
  );
}
