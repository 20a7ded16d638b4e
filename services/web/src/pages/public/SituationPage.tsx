import { Text } from '@gravity-ui/uikit';
import { usePageTitle } from '../../app/usePageTitle';

export function SituationPage() {
  usePageTitle('Жизненная ситуация');
  return (
    <Text as="h1" variant="header-2" className="page-title">
      Жизненная ситуация
    </Text>
  );
}
