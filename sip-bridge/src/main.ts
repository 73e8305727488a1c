import { startSipBridge } from './bridge';
import { ConfigValidationError, loadConfig } from './config';
import { createJsonLogger } from './logger';

const logger = createJsonLogger();

async function main(): Promise<void> {
  const config = loadConfig();
  const bridge = await startSipBridge({ host: config.sip.bindHost, port: config.sip.port }, logger);
  const { address, port } = bridge.address();
  logger.info('SIP bridge listening', { transport: 'udp', address, port, backendUrl: config.backendUrl });

  const shutdown = (signal: NodeJS.Signals) => {
    logger.info('SIP bridge stopping', { signal });
    bridge.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error('SIP bridge did not stop cleanly', { error });
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  const message = error instanceof ConfigValidationError ? 'Invalid configuration' : 'SIP bridge failed to start';
  logger.error(message, { error });
  process.exitCode = 1;
});
