import { openCluster, type Cluster } from './cluster.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { createLogger } from './logger.ts';
import { missingNodeFlags } from './node-flags.ts';
import { createTracker } from './tracker.ts';

/** Hard limit for a graceful shutdown; after it the process exits regardless. */
const SHUTDOWN_DEADLINE_MS = 5000;

function readConfig(): Config {
  try {
    return loadConfig(process.env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(err.message);
    process.exit(1);
  }
}

const config = readConfig();
const logger = createLogger(config);

const missingFlags = missingNodeFlags(process.execArgv, process.env.NODE_OPTIONS);
if (missingFlags.length > 0) {
  logger.warn(
    { missingFlags },
    `started without ${missingFlags.join(' ')} (npm start passes it): young-generation GC pauses will come more ` +
      'often, and with them slow searches; see docs/operations.md, "Memory and GC"',
  );
}

/** With REDIS_URL or REDIS_CLUSTER_URLS: join the other trackers, or stop here with a readable message. */
async function joinCluster(): Promise<Cluster | undefined> {
  if (config.redis === undefined) return undefined;
  try {
    return await openCluster(config, logger);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const hint =
      'url' in config.redis
        ? 'REDIS_URL: is Redis running there, and is the URL right? A Redis Cluster goes in REDIS_CLUSTER_URLS'
        : 'REDIS_CLUSTER_URLS: are those nodes of a Redis Cluster whose state is ok?';
    console.error(`Cannot start: ${message}\n  (${hint})`);
    logger.flush(() => process.exit(1));
    return new Promise<never>(() => undefined);
  }
}

const cluster = await joinCluster();
const tracker = await createTracker({ config, logger, cluster, closeTimeoutMs: SHUTDOWN_DEADLINE_MS - 1500 });

try {
  const { address, port } = await tracker.listen();
  const shown =
    address === '0.0.0.0' || address === '::' ? 'localhost' : address.includes(':') ? `[${address}]` : address;
  logger.info(
    { url: `http://${shown}:${port}`, host: address, port, trackerId: cluster?.registry.trackerId },
    `Shoal tracker listening on http://${shown}:${port}${cluster ? ' (shared registry in Redis)' : ''}`,
  );
} catch (err) {
  logger.fatal({ err }, `could not listen on ${config.host}:${config.port}`);
  logger.flush();
  process.exit(1);
}

let shuttingDown = false;
function shutdown(signal: NodeJS.Signals): void {
  if (shuttingDown) return;
  shuttingDown = true;
  logger.info({ signal }, 'shutting down');
  const deadline = setTimeout(() => {
    logger.error('shutdown deadline passed; exiting');
    logger.flush(() => process.exit(1));
  }, SHUTDOWN_DEADLINE_MS);
  deadline.unref();
  tracker
    .close()
    .then(() => cluster?.close())
    .then(
      () => logger.flush(() => process.exit(0)),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        logger.flush(() => process.exit(1));
      },
    );
}

process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
