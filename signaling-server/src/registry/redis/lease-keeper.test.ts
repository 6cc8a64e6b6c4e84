import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { redisForFile } from '../../test-support/redis-server.ts';
import { eventually } from '../../test-support/tracker-harness.ts';
import { keysFor, type Keys } from './keys.ts';
import { RegistryClosingError } from '../registry.ts';
import { LeaseKeeper, type LeaseKeeperOptions } from './lease-keeper.ts';
import { scriptsOn } from './scripts.ts';

const LEASE_MS = 300;

describe('LeaseKeeper', () => {
  const redis = redisForFile();

  /** A keeper of tracker `self` under `prefix`, with snapshots that take `takeSnapshot`. */
  const keeperOf = (
    prefix: string,
    self: string,
    options: Partial<LeaseKeeperOptions> = {},
  ): { keeper: LeaseKeeper; keys: Keys } => {
    const keys = keysFor(prefix);
    let epoch = '';
    const keeper = new LeaseKeeper({
      writer: redis.client,
      keys,
      scripts: scriptsOn(redis.client),
      trackerId: self,
      leaseMs: LEASE_MS,
      snapshotIntervalMs: 60_000,
      logger: pino({ level: 'silent' }),
      knownTrackers: () => [],
      position: () => '0',
      epoch: () => epoch,
      onEpochChanged: async (next) => {
        epoch = next;
      },
      onLogGap: async () => {},
      takeSnapshot: async () => {},
      reconcile: async () => {},
      ...options,
    });
    return { keeper, keys };
  };

  it('keeps renewing the lease while a slow snapshot holds up its round', async () => {
    let snapshots = 0;
    const { keeper, keys } = keeperOf('{lease-test}:', 'slow', {
      snapshotIntervalMs: 1,
      // Four leases long: without renewals of its own the lease would lapse while it runs.
      takeSnapshot: async () => {
        snapshots++;
        await new Promise((resolve) => setTimeout(resolve, 4 * LEASE_MS));
      },
    });
    keeper.start();
    try {
      const lapsedAt: number[] = [];
      const until = Date.now() + 8 * LEASE_MS;
      while (Date.now() < until) {
        const [seconds, micros] = (await redis.client.time()) as [number, number];
        const now = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
        const expiry = Number(await redis.client.zscore(keys.trackers, 'slow'));
        if (expiry > 0 && expiry < now) lapsedAt.push(now);
        await new Promise((resolve) => setTimeout(resolve, LEASE_MS / 6));
      }
      expect(snapshots).toBeGreaterThan(0);
      expect(lapsedAt).toEqual([]);
    } finally {
      keeper.stop();
    }
  });

  it('after a failed renewal, waits a whole lease of renewals before removing lapsed trackers', async () => {
    const { keeper, keys } = keeperOf('{lease-outage}:', 'self');
    keeper.start();
    try {
      await new Promise((resolve) => setTimeout(resolve, 2 * LEASE_MS));
      // Renewals fail while the connection stays up (as through a cluster whose slot's master is failing over).
      await redis.client.set(keys.trackers, 'not a sorted set');
      await eventually(() => expect(keeper.renewing).toBe(false), 2000);
      // Back, with a tracker whose lease lapsed meanwhile: it may only have been unable to renew too.
      await redis.client
        .multi()
        .del(keys.trackers)
        .zadd(keys.trackers, Date.now() - 1, 'other')
        .exec();
      await eventually(() => expect(keeper.renewing).toBe(true), 2000);
      expect(await redis.client.zscore(keys.trackers, 'other')).not.toBeNull();
      // Had it renewed, it would not be taken for dead; it did not, so once a lease has passed it is removed.
      await eventually(async () => expect(await redis.client.zscore(keys.trackers, 'other')).toBeNull(), 3 * LEASE_MS);
    } finally {
      keeper.stop();
    }
  });

  it('warns of a failed round, unless the tracker is closing', async () => {
    const warnings: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => void warnings.push(line) });
    for (const [n, failure] of [new RegistryClosingError(), new Error('Redis is gone')].entries()) {
      const { keeper } = keeperOf(`{lease-closing-${n}}:`, 'self', {
        logger,
        reconcile: () => Promise.reject(failure),
      });
      // The first round starts the registry's epoch; the second gets as far as reconciling.
      await keeper.tick();
      await keeper.tick();
    }
    expect(warnings.map((line) => (JSON.parse(line) as { err: { message: string } }).err.message)).toEqual([
      'Redis is gone',
    ]);
  });
});
