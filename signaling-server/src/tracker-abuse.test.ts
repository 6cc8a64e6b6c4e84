import { MAX_TRACKER_MESSAGE_BYTES, PROTOCOL_VERSION, RATE_LIMITS, type FileId, type PeerId } from '@shoal/common';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryRegistry } from './registry/memory.ts';
import type { SearchParams } from './registry/registry.ts';
import {
  eventually,
  fileId,
  rawEmit,
  rawRequest,
  relaySignal,
  request,
  sleep,
  startTracker,
  type Connected,
  type Harness,
} from './test-support/tracker-harness.ts';

const seedFile = { id: fileId(1), name: 'seed.txt', size: 1, mimeType: '' };

let harness: Harness;
afterEach(async () => {
  await harness.close();
});

/** A client that holds one file, so a wrongly dropped peer or registry shows in the stats. */
async function seeded(): Promise<Connected> {
  const client = await harness.connect();
  await request(client, 'files:register', { files: [seedFile] });
  return client;
}

async function expectServed(client: Connected): Promise<void> {
  const answer = await request(client, 'files:search', { query: 'seed' });
  expect(answer.ok && answer.data.total).toBe(1);
}

describe('tracker: unknown events and missing callbacks', () => {
  it.each([
    ['files:delete'],
    ['admin:shutdown'],
    ['watch:matches'],
    ['constructor'],
    ['__proto__'],
    ['toString'],
    ['error'],
    [42],
  ])('answers %s with UNKNOWN_EVENT', async (event) => {
    harness = await startTracker();
    const client = await seeded();
    expect(await rawRequest(client, event, { anything: true })).toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_EVENT' },
    });
    expect(client.socket.connected).toBe(true);
    await expectServed(client);
  });

  // All but signal:relay, which is never acknowledged (tracker-signal.test.ts).
  it('ignores events without an acknowledgement callback, known or not', async () => {
    harness = await startTracker();
    const client = await seeded();
    const bystander = await harness.connect();
    rawEmit(client, 'files:register', { files: [{ ...seedFile, id: fileId(2), name: 'sneaky.txt' }] });
    rawEmit(client, 'files:unregister', { fileIds: [fileId(1)] });
    rawEmit(client, 'files:search', { query: 'seed' });
    rawEmit(client, 'files:holders', { fileId: fileId(1) });
    rawEmit(client, 'files:register');
    rawEmit(client, 'files:register', 'not an object');
    rawEmit(client, 'no:such:event', { x: 1 });
    rawEmit(client, 'error', new Array(10).fill('boom'));
    rawEmit(client, 'no:such:event');
    await sleep(100);
    expect(client.socket.connected).toBe(true);
    expect(await harness.tracker.registry.stats()).toEqual({ peers: 1, files: 1 });
    await expectServed(client);
    await expectServed(bystander);
  });
});

describe('tracker: rate limits', () => {
  // A pinned clock makes the budgets exact, however slowly the machine runs the flood.
  let now = 0;
  const clock = () => now;

  it('limits a flood of requests to one connection only', async () => {
    harness = await startTracker({ now: clock });
    const flooder = await seeded();
    const bystander = await harness.connect();
    const answers = await Promise.all(
      Array.from({ length: 150 }, () => request(flooder, 'files:search', { query: 'seed' })),
    );
    const served = answers.filter((a) => a.ok).length;
    const limited = answers.filter((a) => !a.ok && a.error.code === 'RATE_LIMITED').length;
    expect(served).toBe(RATE_LIMITS.requests.burst - 1); // one token went on the seeding
    expect(limited).toBe(150 - served);
    await expectServed(bystander);
    // The flooder is still connected and is served again once tokens refill.
    expect(flooder.socket.connected).toBe(true);
    expect((await request(flooder, 'files:search', { query: 'seed' })).ok).toBe(false);
    now += 1000 / RATE_LIMITS.requests.perSecond;
    await expectServed(flooder);
  });

  it('limits signals separately from requests', async () => {
    harness = await startTracker({ now: clock });
    const flooder = await harness.connect();
    const target = await harness.connect();
    let delivered = 0;
    target.socket.on('signal:incoming', () => delivered++);
    const refusals: string[] = [];
    flooder.socket.on('signal:failed', (failure) => refusals.push(failure.error.code));
    for (let i = 0; i < RATE_LIMITS.signals.burst + 100; i++) {
      relaySignal(flooder, {
        to: target.peerId,
        fileId: fileId(1),
        connectionId: 'flood',
        signal: { type: 'candidate', candidate: { candidate: 'candidate:1' } },
      });
    }
    await eventually(() => expect(delivered).toBe(RATE_LIMITS.signals.burst));
    await eventually(() => expect(refusals).toEqual(Array.from({ length: 100 }, () => 'RATE_LIMITED')));
    // Requests have their own bucket.
    expect((await request(flooder, 'files:search', { query: 'x' })).ok).toBe(true);
    expect((await request(target, 'files:search', { query: 'x' })).ok).toBe(true);
  });

  it('counts unknown events against the request budget', async () => {
    harness = await startTracker({ now: clock });
    const client = await harness.connect();
    const answers = await Promise.all(Array.from({ length: 100 }, () => rawRequest(client, 'nope', {})));
    expect(answers.filter((a) => !a.ok && a.error.code === 'RATE_LIMITED')).toHaveLength(
      100 - RATE_LIMITS.requests.burst,
    );
  });

  it('uses real time by default', async () => {
    harness = await startTracker();
    const client = await harness.connect();
    const flood = Array.from({ length: RATE_LIMITS.requests.burst + 20 }, () => rawRequest(client, 'nope', {}));
    const answers = await Promise.all(flood);
    expect(answers.some((a) => !a.ok && a.error.code === 'RATE_LIMITED')).toBe(true);
    await sleep(2 * (1000 / RATE_LIMITS.requests.perSecond));
    expect((await request(client, 'files:search', { query: 'anything' })).ok).toBe(true);
  });
});

describe('tracker: oversized messages', () => {
  it.each(['websocket', 'polling'] as const)('drops only the %s connection that sent too much', async (transport) => {
    harness = await startTracker();
    const bystander = await seeded();
    const attacker = await harness.connect({ transport });
    await request(attacker, 'files:register', { files: [{ ...seedFile, id: fileId(2), name: 'attacker.txt' }] });
    const dropped = new Promise<string>((resolve) => attacker.socket.once('disconnect', resolve));
    rawEmit(attacker, 'files:search', { query: 'x'.repeat(MAX_TRACKER_MESSAGE_BYTES + 1) }, () => {});
    expect(await dropped).toMatch(/transport (close|error)/);
    // Its holdings go with it; everyone else carries on.
    await eventually(async () => expect(await harness.tracker.registry.stats()).toEqual({ peers: 1, files: 1 }));
    expect(bystander.socket.connected).toBe(true);
    await expectServed(bystander);
    await expectServed(await harness.connect());
  });

  it('answers a large but allowed message with INVALID_PAYLOAD', async () => {
    harness = await startTracker();
    const client = await seeded();
    const answer = await rawRequest(client, 'files:search', { query: 'x'.repeat(MAX_TRACKER_MESSAGE_BYTES / 2) });
    expect(answer).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    expect(client.socket.connected).toBe(true);
  });
});

describe('tracker: handshake', () => {
  it.each([
    ['another version', { protocolVersion: PROTOCOL_VERSION + 1 }],
    ['the version as a string', { protocolVersion: String(PROTOCOL_VERSION) }],
    ['no version', {}],
    ['no auth', undefined],
  ])('refuses %s with a clear connect_error', async (_name, auth) => {
    harness = await startTracker();
    const err = await harness.connectRefused(auth);
    expect(err.message).toMatch(/protocol version/);
    expect(err.message).toContain(`speaks protocol version ${PROTOCOL_VERSION}`);
    expect(err.data).toEqual({ protocolVersion: PROTOCOL_VERSION });
    expect(await harness.tracker.registry.stats()).toEqual({ peers: 0, files: 0 });
    await expectServed(await seeded());
  });
});

/** A registry whose operations fail on demand, as a remote store might. */
class FlakyRegistry extends MemoryRegistry {
  failSearch = false;
  failRemove = false;
  override async search(params: SearchParams) {
    if (this.failSearch) throw new Error('search backend down');
    return super.search(params);
  }
  override async holders(fileId: FileId, exceptPeer?: PeerId): Promise<PeerId[]> {
    if (this.failSearch) throw new Error('holders backend down');
    return super.holders(fileId, exceptPeer);
  }
  override async removePeer(peerId: PeerId) {
    if (this.failRemove) throw new Error('remove backend down');
    return super.removePeer(peerId);
  }
}

describe('tracker: registry failures', () => {
  it('answers INTERNAL, logs the error and keeps serving', async () => {
    const registry = new FlakyRegistry();
    harness = await startTracker({ registry });
    const client = await seeded();
    registry.failSearch = true;
    expect(await request(client, 'files:search', { query: 'seed' })).toEqual({
      ok: false,
      error: { code: 'INTERNAL', message: expect.any(String) as unknown as string },
    });
    expect(await request(client, 'files:holders', { fileId: fileId(1) })).toMatchObject({
      ok: false,
      error: { code: 'INTERNAL' },
    });
    const logged = harness.logs.filter((line) => line.level === 50 && line.msg === 'request failed');
    expect(logged.map((line) => line.err?.message)).toEqual(['search backend down', 'holders backend down']);
    expect(logged[0]).toMatchObject({ module: 'socket', peer: client.peerId, event: 'files:search' });
    registry.failSearch = false;
    expect(client.socket.connected).toBe(true);
    await expectServed(client);
  });

  it('survives a failed clean-up on disconnect', async () => {
    const registry = new FlakyRegistry();
    harness = await startTracker({ registry });
    const leaving = await seeded();
    const staying = await harness.connect();
    registry.failRemove = true;
    leaving.socket.disconnect();
    await eventually(() =>
      expect(harness.logs.some((line) => line.level === 50 && line.err?.message === 'remove backend down')).toBe(true),
    );
    registry.failRemove = false;
    expect((await request(staying, 'files:search', { query: 'seed' })).ok).toBe(true);
  });
});
