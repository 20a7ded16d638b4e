import { Text } from '@gravity-ui/uikit';
import { usePageTitle } from '../../app/usePageTitle';

export function CaseworkerHomePage() {
  usePageTitle('Кабинет специалиста');
  return (
    <div className="stack">
      <Text as="h1" variant="header-2" className="page-title">
        Кабинет специалиста
      </Text>
    </div>
  );
}
