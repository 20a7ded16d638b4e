import { Text } from '@gravity-ui/uikit';
import { usePageTitle } from '../../app/usePageTitle';

export function CertificatesPage() {
  usePageTitle('Мои сертификаты');
  return (
    <Text as="h1" variant="header-2" className="page-title">
      Мои сертификаты
    </Text>
  );
}
