import { Text } from '@gravity-ui/uikit';
import { usePageTitle } from '../../app/usePageTitle';

export function RoundResultsPage() {
  usePageTitle('Итоги отбора');
  return (
    <Text as="h1" variant="header-2" className="page-title">
      Итоги отбора
    </Text>
  );
}
