import { MAX_DISPLAY_NAME_INPUT_LENGTH, MAX_DISPLAY_NAME_LENGTH, MAX_SOURCES_RETURNED } from '@shoal/common';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryRegistry } from './registry/memory.ts';
import {
  eventually,
  fileId,
  rawRequest,
  request,
  startTracker,
  type Connected,
  type Harness,
} from './test-support/tracker-harness.ts';

let harness: Harness;
afterEach(async () => {
  await harness.close();
});

const film = { id: fileId(1), name: 'film.mkv', size: 5_000_000, mimeType: 'video/x-matroska' };

async function named(name: string): Promise<Connected> {
  const client = await harness.connect();
  expect((await request(client, 'peer:name', { name })).ok).toBe(true);
  return client;
}

async function sourcesOf(client: Connected, id = film.id) {
  const answer = await request(client, 'files:sources', { fileId: id });
  if (!answer.ok) throw new Error(answer.error.message);
  return answer.data.sources;
}

describe('tracker: display names and sources', () => {
  it('keeps a name in its normal form and lists holders by name, never the asker', async () => {
    harness = await startTracker();
    const alice = await harness.connect();
    expect(await request(alice, 'peer:name', { name: '  Quiet\u202e   Otter\t42 ' })).toEqual({
      ok: true,
      data: { name: 'Quiet Otter 42' },
    });
    await request(alice, 'files:register', { files: [film] });
    const twin = await named('Quiet Otter 42');
    await request(twin, 'files:register', { files: [film] });
    const unnamed = await harness.connect();
    await request(unnamed, 'files:register', { files: [film] });
    const bob = await named('Curious Fox');
    await request(bob, 'files:register', { files: [film] });

    const sources = await sourcesOf(bob);
    expect(
      sources
        .map(({ peerId, name, complete }) => ({ peerId, name, complete }))
        .sort((a, b) => a.peerId.localeCompare(b.peerId)),
    ).toEqual(
      [
        { peerId: alice.peerId, name: 'Quiet Otter 42', complete: true },
        { peerId: twin.peerId, name: 'Quiet Otter 42', complete: true },
        { peerId: unnamed.peerId, name: null, complete: true },
      ].sort((a, b) => a.peerId.localeCompare(b.peerId)),
    );
    // Renaming shows at once; names are cut to the limit.
    await request(alice, 'peer:name', { name: 'x'.repeat(MAX_DISPLAY_NAME_INPUT_LENGTH) });
    expect((await sourcesOf(bob)).find((source) => source.peerId === alice.peerId)?.name).toBe(
      'x'.repeat(MAX_DISPLAY_NAME_LENGTH),
    );
    expect(await sourcesOf(bob, fileId(42))).toEqual([]);
  });

  it(`lists at most ${MAX_SOURCES_RETURNED} sources`, async () => {
    harness = await startTracker();
    const holders = await Promise.all(Array.from({ length: MAX_SOURCES_RETURNED + 5 }, (_, n) => named(`Peer ${n}`)));
    await Promise.all(holders.map((holder) => request(holder, 'files:register', { files: [film] })));
    const asker = await harness.connect();
    expect(await sourcesOf(asker)).toHaveLength(MAX_SOURCES_RETURNED);
  });

  it('forgets the name when the peer disconnects, even one set just before', async () => {
    const registry = new MemoryRegistry();
    harness = await startTracker({ registry });
    const leaving = await named('Leaving Soon');
    expect(registry.holdingsOf(leaving.peerId)).toEqual({ complete: [], partial: [], name: 'Leaving Soon' });
    void rawRequest(leaving, 'peer:name', { name: 'Last Word' }).catch(() => {});
    leaving.socket.disconnect();
    await eventually(() => expect(registry.holdingsOf(leaving.peerId)).toBeUndefined());
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(registry.holdingsOf(leaving.peerId)).toBeUndefined();
  });

  it.each([
    ['no payload', undefined],
    ['a bare string', 'Otter'],
    ['a missing name', {}],
    ['an empty name', { name: '' }],
    ['a blank name', { name: ' \t ' }],
    ['only invisible characters', { name: '\u200b\u202e\u0000' }],
    ['a number', { name: 42 }],
    ['an oversized input', { name: 'x'.repeat(MAX_DISPLAY_NAME_INPUT_LENGTH + 1) }],
    ['a huge input', { name: 'x'.repeat(500_000) }],
    ['someone else’s peer id', { name: 'Otter', peerId: 'victim' }],
  ])('refuses peer:name with %s and keeps the name it had', async (_description, payload) => {
    harness = await startTracker();
    const client = await named('Kept Name');
    await request(client, 'files:register', { files: [film] });
    const answer =
      payload === undefined ? await rawRequest(client, 'peer:name') : await rawRequest(client, 'peer:name', payload);
    expect(answer).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    const other = await harness.connect();
    expect(await sourcesOf(other)).toEqual([{ peerId: client.peerId, name: 'Kept Name', complete: true }]);
    expect(client.socket.connected).toBe(true);
  });

  it.each([
    ['no payload', undefined],
    ['a missing fileId', {}],
    ['a bad fileId', { fileId: 'nope' }],
    ['an extra field', { fileId: fileId(1), exceptPeer: 'x' }],
  ])('refuses files:sources with %s', async (_description, payload) => {
    harness = await startTracker();
    const client = await harness.connect();
    const answer =
      payload === undefined
        ? await rawRequest(client, 'files:sources')
        : await rawRequest(client, 'files:sources', payload);
    expect(answer).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    expect(client.socket.connected).toBe(true);
  });
});
