import { Text } from '@gravity-ui/uikit';
import { usePageTitle } from '../../app/usePageTitle';

export function DashboardPage() {
  usePageTitle('Показатели области');
  return (
    <div className="stack">
      <Text as="h1" variant="header-2" className="page-title">
        Показатели области
      </Text>
    </div>
  );
}
