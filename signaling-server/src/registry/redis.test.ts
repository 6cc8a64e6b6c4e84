import { pino } from 'pino';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { startRedisServer, type RedisServer } from '../test-support/redis-server.ts';
import { RedisRegistry } from './redis.ts';
import { describeRegistryContract } from './registry-contract.ts';

let server: RedisServer;
const open: RedisRegistry[] = [];
let prefixes = 0;

beforeAll(async () => {
  server = await startRedisServer();
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((registry) => registry.close()));
});
afterAll(async () => {
  await server.stop();
});

describeRegistryContract('RedisRegistry', async () => {
  const registry = await RedisRegistry.open({
    url: server.url,
    logger: pino({ level: 'silent' }),
    leaseMs: 15_000,
    prefix: `{contract-${++prefixes}}:`,
  });
  open.push(registry);
  return registry;
});
