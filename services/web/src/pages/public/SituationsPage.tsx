import { Text } from '@gravity-ui/uikit';
import { usePageTitle } from '../../app/usePageTitle';

export function SituationsPage() {
  usePageTitle('Жизненные ситуации');
  return (
    <Text as="h1" variant="header-2" className="page-title">
      Жизненные ситуации
    </Text>
  );
}
