import { ConfigError, onShutdownSignals } from '@esc/service-kit';
import { createGateway } from './app';

async function main() {
  const gateway = await createGateway();
  await gateway.start();
  onShutdownSignals(() => gateway.stop(), gateway.logger);
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
