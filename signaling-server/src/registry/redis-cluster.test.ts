import { pino } from 'pino';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { startRedisCluster, type RedisCluster } from '../test-support/redis-cluster.ts';
import { RedisRegistry } from './redis.ts';
import { describeRegistryContract } from './registry-contract.ts';

let cluster: RedisCluster;
const open: RedisRegistry[] = [];
let prefixes = 0;

beforeAll(async () => {
  cluster = await startRedisCluster();
}, 30_000);
afterEach(async () => {
  await Promise.all(open.splice(0).map((registry) => registry.close()));
});
afterAll(async () => {
  await cluster.stop();
});

// Each registry's hash tag falls in another slot, so the suite runs on every master; the client is given one seed.
describeRegistryContract('RedisRegistry on a Redis Cluster', async () => {
  const registry = await RedisRegistry.open({
    clusterUrls: [cluster.urls[prefixes % cluster.urls.length]!],
    logger: pino({ level: 'silent' }),
    leaseMs: 15_000,
    prefix: `{contract-${++prefixes}}:`,
  });
  open.push(registry);
  return registry;
});
