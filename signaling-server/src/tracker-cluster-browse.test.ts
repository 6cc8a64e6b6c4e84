import { BROWSE_TIMEOUT_MS, type BrowseEntry, type Result } from '@shoal/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisServer, type RedisServer } from './test-support/redis-server.ts';
import { eventually, fileId, request, type Connected, type TestClient } from './test-support/tracker-harness.ts';
import { connectClient, startTrackerProcess, type TrackerProcess } from './test-support/tracker-process.ts';

/** Display names and browsing between pages of two tracker processes sharing one Redis. */
describe('trackers sharing one Redis: names and browsing', () => {
  let redis: RedisServer;
  const trackers: TrackerProcess[] = [];
  const clients: TestClient[] = [];

  const connect = (tracker: TrackerProcess): Promise<Connected> => connectClient(tracker.url, clients);
  /** A browse that may wait for the tracker's whole timeout. */
  const browse = (client: Connected, peerId: string): Promise<Result<unknown>> =>
    (
      client.socket.timeout(BROWSE_TIMEOUT_MS * 2).emitWithAck as unknown as (
        ...args: unknown[]
      ) => Promise<Result<unknown>>
    )('peers:browse', { peerId });

  beforeAll(async () => {
    redis = await startRedisServer();
    trackers.push(...(await Promise.all([1, 2].map(() => startTrackerProcess({ REDIS_URL: redis.url })))));
  });
  afterAll(async () => {
    for (const client of clients) client.disconnect();
    await Promise.all(trackers.map((tracker) => tracker.kill()));
    await redis.stop();
  });

  it('shows a page’s name and lets a page of the other tracker browse it', async () => {
    const [one, two] = trackers as [TrackerProcess, TrackerProcess];
    const bob = await connect(one);
    const shared: BrowseEntry = { kind: 'file', name: 'notes.txt', size: 12, fileId: fileId(1) };
    bob.socket.on('browse:request', (_query, ack) => ack({ ok: true, data: { entries: [shared], total: 1 } }));
    expect(await request(bob, 'peer:name', { name: 'Bob on One' })).toEqual({ ok: true, data: { name: 'Bob on One' } });
    await request(bob, 'files:register', { files: [{ id: fileId(1), name: 'notes.txt', size: 12, mimeType: '' }] });

    const alice = await connect(two);
    await eventually(async () =>
      expect(await request(alice, 'files:sources', { fileId: fileId(1) })).toEqual({
        ok: true,
        data: { fileId: fileId(1), sources: [{ peerId: bob.peerId, name: 'Bob on One', complete: true }] },
      }),
    );
    expect(await browse(alice, bob.peerId)).toEqual({
      ok: true,
      data: { peerId: bob.peerId, folder: null, offset: 0, entries: [shared], total: 1 },
    });
  });

  it('tells a page of the other tracker when the browsed page answers garbage or nothing', async () => {
    const [one, two] = trackers as [TrackerProcess, TrackerProcess];
    const liar = await connect(one);
    liar.socket.on('browse:request', (_query, ack) => (ack as (reply: unknown) => void)({ ok: true, data: '/etc' }));
    const silent = await connect(one);
    silent.socket.on('browse:request', () => {});
    const alice = await connect(two);
    await eventually(async () =>
      expect(await browse(alice, liar.peerId)).toMatchObject({ ok: false, error: { code: 'BAD_PEER_ANSWER' } }),
    );
    expect(await browse(alice, silent.peerId)).toMatchObject({ ok: false, error: { code: 'PEER_TIMEOUT' } });
    expect(await browse(alice, 'nobody')).toMatchObject({ ok: false, error: { code: 'PEER_NOT_FOUND' } });
  }, 20_000);
});
