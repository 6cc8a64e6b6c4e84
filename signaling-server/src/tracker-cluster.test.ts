import { type IncomingSignal, type SearchResult } from '@shoal/common';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisServer, type RedisServer } from './test-support/redis-server.ts';
import {
  eventually as eventuallyEvery10ms,
  fileId,
  rawRequest,
  relayRefusal,
  relaySignal,
  relayUntilDelivered,
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

const LEASE_MS = 1000;

/** Polls every 50 ms: requests count against the clients' rate limits. */
const eventually = (check: () => void | Promise<void>, timeoutMs = 2000): Promise<void> =>
  eventuallyEvery10ms(check, timeoutMs, 50);

/** Two (then three) tracker processes on one Redis, and peers talking to them with socket.io-client. */
describe('trackers sharing one Redis', () => {
  let redis: RedisServer;
  const trackers: TrackerProcess[] = [];
  const clients: TestClient[] = [];
  let one: TrackerProcess;
  let two: TrackerProcess;

  const startTracker = async (): Promise<TrackerProcess> => {
    const tracker = await startTrackerProcess({ REDIS_URL: redis.url, TRACKER_LEASE_MS: String(LEASE_MS) });
    trackers.push(tracker);
    return tracker;
  };
  const connect = (tracker: TrackerProcess): Promise<Connected> => connectClient(tracker.url, clients);
  const search = async (client: Connected, query: string): Promise<SearchResult[]> => {
    const answer = await request(client, 'files:search', { query });
    if (!answer.ok) throw new Error(answer.error.message);
    return answer.data.results;
  };
  const health = async (tracker: TrackerProcess): Promise<Record<string, unknown>> =>
    (await (await fetch(`${tracker.url}/healthz`)).json()) as Record<string, unknown>;
  const register = async (client: Connected, n: number, name: string): Promise<void> => {
    const answer = await request(client, 'files:register', {
      files: [{ id: fileId(n), name, size: 1000 + n, mimeType: 'text/plain' }],
    });
    expect(answer.ok).toBe(true);
  };

  beforeAll(async () => {
    redis = await startRedisServer();
    [one, two] = await Promise.all([startTracker(), startTracker()]);
  });
  afterAll(async () => {
    for (const client of clients) client.disconnect();
    await Promise.all(trackers.map((tracker) => tracker.kill()));
    await redis.stop();
  });

  it('finds on one tracker what a peer registered on the other, within a second', async () => {
    const alice = await connect(one);
    const bob = await connect(two);
    const registered = Date.now();
    await register(alice, 1, 'cluster report.pdf');
    await eventually(
      async () => expect((await search(bob, 'cluster')).map((r) => r.name)).toEqual(['cluster report.pdf']),
      1000,
    );
    expect(Date.now() - registered).toBeLessThan(1000);
    const holders = await request(bob, 'files:holders', { fileId: fileId(1) });
    expect(holders).toEqual({ ok: true, data: { fileId: fileId(1), holders: [alice.peerId] } });
    expect(await health(two)).toMatchObject({ status: 'ok', redis: 'connected', peers: 1, files: 1 });
  });

  it('relays signals across trackers, stamped with the sender, and refuses unknown peers on both', async () => {
    const alice = await connect(one);
    const bob = await connect(two);
    const received: IncomingSignal[] = [];
    bob.socket.on('signal:incoming', (signal) => received.push(signal));
    const offer = { type: 'offer' as const, sdp: 'v=0\r\n' };
    const payload = { to: bob.peerId, fileId: fileId(1), connectionId: 'c1', signal: offer };
    await relayUntilDelivered(alice, payload, () => received.length > 0);
    expect(received[0]).toEqual({ from: alice.peerId, fileId: fileId(1), connectionId: 'c1', signal: offer });
    for (const client of [alice, bob]) {
      const answer = await relayRefusal(client, {
        to: 'nobody-here',
        fileId: fileId(1),
        connectionId: 'c2',
        signal: offer,
      });
      expect(answer).toMatchObject({ to: 'nobody-here', connectionId: 'c2', error: { code: 'PEER_NOT_FOUND' } });
    }
  });

  it('delivers signals between peers on the same tracker without a trip through Redis', async () => {
    const alice = await connect(one);
    const bob = await connect(one);
    const received: IncomingSignal[] = [];
    bob.socket.on('signal:incoming', (signal) => received.push(signal));
    const admin = new Redis(redis.url);
    try {
      const before = await admin.xlen('{shoal}:socket.io');
      for (let i = 0; i < 50; i++) {
        relaySignal(alice, { to: bob.peerId, fileId: fileId(1), connectionId: `l${i}`, signal: { renegotiate: true } });
      }
      await eventually(() => expect(received).toHaveLength(50));
      // Only the adapters' heartbeats (one per tracker every few seconds) may have been written meanwhile.
      expect((await admin.xlen('{shoal}:socket.io')) - before).toBeLessThan(10);
    } finally {
      admin.disconnect();
    }
  });

  it('still rejects hostile input on every tracker, and no peer can touch another’s holdings', async () => {
    const alice = await connect(one);
    const mallory = await connect(two);
    await register(alice, 2, 'precious.txt');
    await eventually(async () => expect(await search(mallory, 'precious')).toHaveLength(1));
    for (const client of [alice, mallory]) {
      expect(await rawRequest(client, 'files:register', { files: [{ id: 'zz', name: 'x', size: -1 }] })).toMatchObject({
        ok: false,
        error: { code: 'INVALID_PAYLOAD' },
      });
      expect(
        await relayRefusal(client, {
          to: alice.peerId,
          from: mallory.peerId,
          fileId: fileId(2),
          connectionId: 'c',
          signal: { renegotiate: true },
        }),
      ).toMatchObject({ error: { code: 'INVALID_PAYLOAD' } });
      expect(await rawRequest(client, 'files:steal', {})).toMatchObject({
        ok: false,
        error: { code: 'UNKNOWN_EVENT' },
      });
    }
    expect(await request(mallory, 'files:unregister', { fileIds: [fileId(2)] })).toEqual({
      ok: true,
      data: { removed: 0 },
    });
    expect((await search(alice, 'precious')).map((r) => r.holders)).toEqual([1]);
  });

  it('drops the holdings of a killed tracker’s peers within the lease, and finds them again once they reconnect', async () => {
    const carol = await connect(one);
    const dave = await connect(two);
    await register(carol, 3, 'failover notes.md');
    await eventually(async () => expect(await search(dave, 'failover')).toHaveLength(1));
    await one.kill();
    // Within the lease and the sweep period after it (a third of a lease), with room for this machine's load.
    await eventually(async () => expect(await search(dave, 'failover')).toEqual([]), 4 * LEASE_MS);
    const again = await connect(two);
    await register(again, 3, 'failover notes.md');
    expect((await search(dave, 'failover')).map((r) => r.holders)).toEqual([1]);
  });

  it('rebuilds the registry from the trackers’ peers when Redis restarts empty, keeping every client connected', async () => {
    one = await startTracker();
    const erin = await connect(one);
    const frank = await connect(two);
    await register(erin, 4, 'survives restart.iso');
    await register(frank, 5, 'also survives.iso');
    await eventually(async () => expect(await search(frank, 'survives')).toHaveLength(2));

    await redis.kill();
    await eventually(
      async () => expect(await health(one)).toMatchObject({ status: 'degraded', redis: 'unreachable' }),
      5000,
    );
    // Reading goes on from each tracker's copy while Redis is away; writes are refused with INTERNAL.
    expect(await search(erin, 'survives')).toHaveLength(2);
    expect(
      await request(erin, 'files:register', { files: [{ id: fileId(6), name: 'during outage', size: 1 }] }),
    ).toMatchObject({
      ok: false,
      error: { code: 'INTERNAL' },
    });

    await redis.start();
    await eventually(async () => expect(await health(one)).toMatchObject({ status: 'ok', redis: 'connected' }), 10_000);
    await eventually(async () => {
      for (const client of [erin, frank]) {
        expect((await search(client, 'survives')).map((r) => r.name).sort()).toEqual([
          'also survives.iso',
          'survives restart.iso',
        ]);
      }
    }, 10_000);
    expect(erin.socket.connected && frank.socket.connected).toBe(true);
    // Redis itself has it all again: a tracker started now (reading only Redis) finds both files.
    const three = await startTracker();
    const grace = await connect(three);
    await eventually(async () => expect(await search(grace, 'survives')).toHaveLength(2), 5000);
    // Relaying across trackers works again too.
    let relayed = 0;
    frank.socket.on('signal:incoming', () => relayed++);
    const payload = { to: frank.peerId, fileId: fileId(4), connectionId: 'r', signal: { renegotiate: true as const } };
    await relayUntilDelivered(erin, payload, () => relayed > 0, 10_000);
  });

  it('refuses to start with a Redis it cannot reach, saying so', async () => {
    const { code, output } = await runTrackerToExit({ REDIS_URL: 'redis://127.0.0.1:1' });
    expect(code).toBe(1);
    expect(output).toContain('Cannot start: cannot reach Redis at redis://127.0.0.1:1');
  });
});
