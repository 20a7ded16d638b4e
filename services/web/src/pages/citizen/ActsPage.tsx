import { Text } from '@gravity-ui/uikit';
import { usePageTitle } from '../../app/usePageTitle';

export function ActsPage() {
  usePageTitle('Акты об оказании услуг');
  return (
    <Text as="h1" variant="header-2" className="page-title">
      Акты об оказании услуг
    </Text>
  );
}
