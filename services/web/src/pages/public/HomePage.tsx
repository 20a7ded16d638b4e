import { Text } from '@gravity-ui/uikit';
import { usePageTitle } from '../../app/usePageTitle';

export function HomePage() {
  usePageTitle('Навигатор социальных услуг');
  return (
    <Text as="h1" variant="header-2" className="page-title">
      Навигатор социальных услуг
    </Text>
  );
}
