import { onShutdownSignals } from '@esc/service-kit';
import { createSettlementService } from './app';

async function main() {
  const service = await createSettlementService();
  await service.start();
  onShutdownSignals(() => service.stop(), service.logger);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
