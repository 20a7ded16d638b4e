import { Text } from '@gravity-ui/uikit';
import { usePageTitle } from '../../app/usePageTitle';

export function CertificatePage() {
  usePageTitle('Сертификат');
  return (
    <Text as="h1" variant="header-2" className="page-title">
      Сертификат
    </Text>
  );
}
