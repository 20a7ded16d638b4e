import { Text } from '@gravity-ui/uikit';
import { usePageTitle } from '../../app/usePageTitle';

export function RequestsPage() {
  usePageTitle('Мои обращения');
  return (
    <Text as="h1" variant="header-2" className="page-title">
      Мои обращения
    </Text>
  );
}
