import { onShutdownSignals, tuneServiceHeap } from '@esc/service-kit';
import { createSettlementService } from './app';

async function main() {
  tuneServiceHeap();
  const service = await createSettlementService();
  await service.start();
  onShutdownSignals(() => service.stop(), service.logger);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
