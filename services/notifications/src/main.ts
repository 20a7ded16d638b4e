import { onShutdownSignals } from '@esc/service-kit';
import { createNotificationsService } from './app';

async function main() {
  const service = await createNotificationsService();
  await service.start();
  onShutdownSignals(() => service.stop(), service.logger);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
