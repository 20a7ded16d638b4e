import { onShutdownSignals, tuneServiceHeap } from '@esc/service-kit';
import { createCertificatesService } from './app';

async function main() {
  tuneServiceHeap();
  const service = await createCertificatesService();
  await service.start();
  onShutdownSignals(() => service.stop(), service.logger);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
