import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisServer, type RedisServer } from '../../test-support/redis-server.ts';
import { keysFor } from './keys.ts';
import { LeaseKeeper } from './lease-keeper.ts';
import { scriptsOn } from './scripts.ts';

const LEASE_MS = 300;

describe('LeaseKeeper', () => {
  let server: RedisServer;
  let writer: Redis;

  beforeAll(async () => {
    server = await startRedisServer();
    writer = new Redis(server.url);
  });
  afterAll(async () => {
    writer.disconnect();
    await server.stop();
  });

  it('keeps renewing the lease while a slow snapshot holds up its round', async () => {
    const keys = keysFor('{lease-test}:');
    let epoch = '';
    let snapshots = 0;
    const keeper = new LeaseKeeper({
      writer,
      keys,
      scripts: scriptsOn(writer),
      trackerId: 'slow',
      leaseMs: LEASE_MS,
      snapshotIntervalMs: 1,
      logger: pino({ level: 'silent' }),
      knownTrackers: () => [],
      position: () => '0',
      epoch: () => epoch,
      onEpochChanged: async (next) => {
        epoch = next;
      },
      onLogGap: async () => {},
      // Four leases long: without renewals of its own the lease would lapse while it runs.
      takeSnapshot: async () => {
        snapshots++;
        await new Promise((resolve) => setTimeout(resolve, 4 * LEASE_MS));
      },
      reconcile: async () => {},
    });
    keeper.start();
    try {
      const lapsedAt: number[] = [];
      const until = Date.now() + 8 * LEASE_MS;
      while (Date.now() < until) {
        const [seconds, micros] = (await writer.time()) as [number, number];
        const now = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
        const expiry = Number(await writer.zscore(keys.trackers, 'slow'));
        if (expiry > 0 && expiry < now) lapsedAt.push(now);
        await new Promise((resolve) => setTimeout(resolve, LEASE_MS / 6));
      }
      expect(snapshots).toBeGreaterThan(0);
      expect(lapsedAt).toEqual([]);
    } finally {
      keeper.stop();
    }
  });
});
