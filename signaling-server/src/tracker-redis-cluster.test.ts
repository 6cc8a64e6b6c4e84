import { BROWSE_TIMEOUT_MS, type BrowseEntry, type IncomingSignal, type Result } from '@shoal/common';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis } from './registry/redis/connection.ts';
import { DEFAULT_PREFIX } from './registry/redis/keys.ts';
import { startRedisCluster, type RedisCluster } from './test-support/redis-cluster.ts';
import { startRedisServer } from './test-support/redis-server.ts';
import {
  eventually,
  fileId,
  relaySignal,
  request,
  type Connected,
  type TestClient,
} from './test-support/tracker-harness.ts';
import {
  connectClient,
  runTrackerToExit,
  startTrackerProcess,
  type TrackerProcess,
} from './test-support/tracker-process.ts';

/** Two (then three) tracker processes on a Redis Cluster of three masters with a replica each, and their peers. */
describe('trackers sharing a Redis Cluster', () => {
  let cluster: RedisCluster;
  let one: TrackerProcess;
  let two: TrackerProcess;
  const trackers: TrackerProcess[] = [];
  const clients: TestClient[] = [];
  /** The slot of every key of the deployment (`{shoal}`), and the master serving it at first. */
  let slot: number;
  let firstOwner: number;

  const startTracker = async (seeds: string[]): Promise<TrackerProcess> => {
    const tracker = await startTrackerProcess({ REDIS_CLUSTER_URLS: seeds.join(','), TRACKER_LEASE_MS: '1000' });
    trackers.push(tracker);
    return tracker;
  };
  const connect = (tracker: TrackerProcess): Promise<Connected> => connectClient(tracker.url, clients);
  const names = async (client: Connected, query: string): Promise<string[]> => {
    const answer = await request(client, 'files:search', { query });
    if (!answer.ok) throw new Error(answer.error.message);
    return answer.data.results.map((result) => result.name);
  };
  const register = async (client: Connected, n: number, name: string): Promise<void> => {
    const answer = await request(client, 'files:register', {
      files: [{ id: fileId(n), name, size: 1000 + n, mimeType: 'text/plain' }],
    });
    expect(answer).toEqual({ ok: true, data: expect.anything() });
  };
  const health = async (tracker: TrackerProcess): Promise<Record<string, unknown>> =>
    (await (await fetch(`${tracker.url}/healthz`)).json()) as Record<string, unknown>;
  /** Relays a signal from `from` to `to` and sees it arrive, stamped with the sender. */
  const relay = async (from: Connected, to: Connected, connectionId: string): Promise<void> => {
    const received: IncomingSignal[] = [];
    const listener = (signal: IncomingSignal): number => received.push(signal);
    to.socket.on('signal:incoming', listener);
    try {
      const signal = { renegotiate: true as const };
      relaySignal(from, { to: to.peerId, fileId: fileId(1), connectionId, signal });
      await eventually(() =>
        expect(received).toEqual([{ from: from.peerId, fileId: fileId(1), connectionId, signal }]),
      );
    } finally {
      to.socket.off('signal:incoming', listener);
    }
  };

  beforeAll(async () => {
    cluster = await startRedisCluster({ replicas: 1 });
    slot = await cluster.slotOf(DEFAULT_PREFIX);
    firstOwner = await cluster.ownerOf(slot);
    // Tracker one knows a single node, not the one serving the slot: it must discover the rest and follow MOVED.
    const elsewhere = (await cluster.masters()).find((port) => port !== firstOwner)!;
    const seeds = cluster.urls.filter((_, n) => cluster.ports[n] !== elsewhere);
    [one, two] = await Promise.all([startTracker([`redis://127.0.0.1:${elsewhere}`]), startTracker(seeds)]);
  }, 30_000);
  afterAll(async () => {
    for (const client of clients) client.disconnect();
    await Promise.all(trackers.map((tracker) => tracker.kill()));
    await cluster.stop();
  });

  it('finds on one tracker what a peer registered on the other, and relays signals across', async () => {
    const alice = await connect(one);
    const bob = await connect(two);
    await register(alice, 1, 'sharded report.pdf');
    await eventually(async () => expect(await names(bob, 'sharded')).toEqual(['sharded report.pdf']), 1000, 50);
    expect(await request(bob, 'files:holders', { fileId: fileId(1) })).toEqual({
      ok: true,
      data: { fileId: fileId(1), holders: [alice.peerId] },
    });
    await relay(alice, bob, 'c1');
    await relay(bob, alice, 'c2');
    expect(await health(one)).toMatchObject({ status: 'ok', redis: 'connected' });
  });

  it('lets a page of one tracker browse a page of the other (acknowledgements through the cluster’s pub/sub)', async () => {
    const bob = await connect(one);
    const shared: BrowseEntry = { kind: 'file', name: 'notes.txt', size: 12, fileId: fileId(2) };
    bob.socket.on('browse:request', (_query, ack) => ack({ ok: true, data: { entries: [shared], total: 1 } }));
    await register(bob, 2, 'notes.txt');
    const alice = await connect(two);
    await eventually(async () => expect(await names(alice, 'notes')).toEqual(['notes.txt']), 1000, 50);
    const asked = alice.socket.timeout(BROWSE_TIMEOUT_MS * 2);
    const browse = (asked.emitWithAck as unknown as (...args: unknown[]) => Promise<Result<unknown>>).bind(asked);
    expect(await browse('peers:browse', { peerId: bob.peerId })).toEqual({
      ok: true,
      data: { peerId: bob.peerId, folder: null, offset: 0, entries: [shared], total: 1 },
    });
  });

  it('subscribes the adapter on a master even when given replicas alone, where the adapter counts trackers', async () => {
    const masters = await cluster.masters();
    const replicaUrls = cluster.urls.filter((_, n) => !masters.includes(cluster.ports[n]!));
    const client = await connectRedis(
      { clusterUrls: replicaUrls },
      { name: 'adapter-test', offlineQueue: true, mastersOnly: true },
    );
    const subscriber = client.duplicate();
    const admins = masters.map((port) => new Redis(port, { lazyConnect: true }));
    try {
      // As the adapter makes its subscriber: a duplicate, connected at once.
      await subscriber.connect();
      await subscriber.subscribe('adapter-probe');
      // What the adapter's server count adds up: the subscribers of the channel on each master.
      const counts = await Promise.all(
        admins.map(async (admin) => Number(((await admin.pubsub('NUMSUB', 'adapter-probe')) as [string, number])[1])),
      );
      expect(counts.reduce((a, b) => a + b, 0)).toBe(1);
    } finally {
      subscriber.disconnect();
      client.disconnect();
      for (const admin of admins) admin.disconnect();
    }
  });

  it('keeps working while the slot moves to another master, and a tracker started after finds everything', async () => {
    const alice = await connect(one);
    const bob = await connect(two);
    await register(alice, 3, 'before the move.txt');
    await eventually(async () => expect(await names(bob, 'before')).toEqual(['before the move.txt']), 1000, 50);

    const newOwner = (await cluster.masters()).find((port) => port !== firstOwner)!;
    const moving = cluster.migrateSlot(slot, newOwner, 200);
    // Writes meanwhile: a key already moved answers ASK, a script over keys on both sides TRYAGAIN, and once the
    // slot has moved the old master answers MOVED; the client follows each, so no request fails.
    for (let n = 10; n < 15; n++) {
      await register(bob, n, `during the move ${n}.txt`);
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    await moving;
    expect(await cluster.ownerOf(slot)).toBe(newOwner);
    await register(bob, 4, 'after the move.txt');
    await eventually(async () => expect(await names(alice, 'move')).toHaveLength(7), 2000, 50);
    await relay(alice, bob, 'c3');
    await relay(bob, alice, 'c4');
    // Past a lease and a sweep: neither tracker lost its lease during the move (their peers would be gone).
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await names(bob, 'move')).toHaveLength(7);
    for (const tracker of [one, two]) expect(await health(tracker)).toMatchObject({ status: 'ok', redis: 'connected' });

    // The log moved with the slot: a tracker that reads only Redis finds every file.
    const three = await startTracker([cluster.urls[0]!]);
    const carol = await connect(three);
    await eventually(async () => expect(await names(carol, 'move')).toHaveLength(7), 5000, 50);
  }, 20_000);

  it('refuses to start, saying why, when a cluster node is given as one server, a server as a cluster, or no node answers', async () => {
    const asServer = await runTrackerToExit({ REDIS_URL: cluster.urls[0]! });
    expect(asServer.code).toBe(1);
    expect(asServer.output).toContain(`Redis at ${cluster.urls[0]} is a node of a Redis Cluster`);
    const server = await startRedisServer();
    try {
      const asCluster = await runTrackerToExit({ REDIS_CLUSTER_URLS: server.url });
      expect(asCluster.code).toBe(1);
      expect(asCluster.output).toContain(
        `the Redis Cluster at ${server.url}: ERR This instance has cluster support disabled`,
      );
    } finally {
      await server.stop();
    }
    const nobody = await runTrackerToExit({ REDIS_CLUSTER_URLS: 'redis://127.0.0.1:1' });
    expect(nobody.code).toBe(1);
    expect(nobody.output).toContain('Cannot start: cannot reach the Redis Cluster at redis://127.0.0.1:1');
  });

  it('carries on once the replica of the master serving the slot took over from it', async () => {
    const alice = await connect(one);
    const bob = await connect(two);
    await register(alice, 20, 'before the failover.txt');
    await eventually(async () => expect(await names(bob, 'failover')).toEqual(['before the failover.txt']), 1000, 50);

    const master = await cluster.ownerOf(slot);
    await cluster.kill(master);
    // Until the replica is promoted (the node timeout, 3 s here, and an election) nothing reaches the slot: requests
    // fail after about 2 s of retries, and so does the lease's renewal.
    await eventually(async () => expect(await health(one)).toMatchObject({ redis: 'unreachable' }), 5000, 50);
    await eventually(async () => expect(await cluster.ownerOf(slot)).not.toBe(master), 15_000, 100);
    await eventually(
      async () => {
        for (const tracker of [one, two]) expect(await health(tracker)).toMatchObject({ redis: 'connected' });
      },
      10_000,
      100,
    );

    await register(bob, 21, 'after the failover.txt');
    await eventually(async () => expect(await names(alice, 'failover')).toHaveLength(2), 2000, 50);
    await relay(alice, bob, 'c5');
    await relay(bob, alice, 'c6');
  }, 40_000);
});
