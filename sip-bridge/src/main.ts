import { startSipBridge } from './bridge';
import { ConfigValidationError, loadConfig } from './config';
import { createJsonLogger } from './logger';

const logger = createJsonLogger();

/** Graceful shutdown gives the calls' last events this long to reach the journal. */
const SHUTDOWN_DEADLINE_MS = 10_000;

async function main(): Promise<void> {
  const config = loadConfig();
  if (config.ctiToken === undefined) logger.warn('CTI_TOKEN is not set: the backend will refuse events, which wait in the outbox', { spoolDir: config.spoolDir });
  const bridge = await startSipBridge({ config }, logger);
  const { address, port } = bridge.address();
  logger.info('SIP bridge listening', {
    transports: ['udp', 'tcp'],
    address,
    port,
    rtpPorts: `${config.rtp.portMin}-${config.rtp.portMax}`,
    backendUrl: config.backendUrl,
    spoolDir: config.spoolDir,
    outboxPending: bridge.outbox.pendingCount,
  });

  const shutdown = (signal: NodeJS.Signals) => {
    logger.info('SIP bridge stopping', { signal, activeCalls: bridge.callFlow.activeCalls });
    const deadline = setTimeout(() => {
      logger.error('SIP bridge did not stop within the deadline', { deadlineMs: SHUTDOWN_DEADLINE_MS });
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    bridge.close().then(
      () => {
        clearTimeout(deadline);
        process.exit(0);
      },
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
