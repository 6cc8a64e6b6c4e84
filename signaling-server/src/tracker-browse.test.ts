import {
  BROWSE_RATE_LIMIT,
  BROWSE_TIMEOUT_MS,
  MAX_BROWSE_LIMIT,
  MAX_PENDING_BROWSES,
  MAX_TRACKER_MESSAGE_BYTES,
  type BrowseEntry,
  type BrowseQuery,
  type BrowseReply,
  type Result,
} from '@shoal/common';
import { afterEach, describe, expect, it } from 'vitest';
import {
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

const LISTING = fileId(0xf01de5);
const LARGE = 100_000;
const archive: BrowseEntry = {
  kind: 'folder',
  name: 'archive',
  size: LARGE * 10,
  count: LARGE,
  listing: { id: LISTING, size: 3_000_000 },
};
const fileAt = (n: number): BrowseEntry => ({
  kind: 'file',
  name: `file ${String(n).padStart(6, '0')}.dat`,
  size: 10,
  fileId: fileId(n + 1),
});

/** The browsed page's answers: one shared folder of 100,000 files, each page computed when asked. */
function largeShare(query: BrowseQuery): BrowseReply {
  if (!query.folder) return { ok: true, data: { entries: query.offset === 0 ? [archive] : [], total: 1 } };
  if (query.folder.listingId !== LISTING || query.folder.path !== '') {
    return { ok: false, error: { code: 'NOT_FOUND', message: 'no such folder' } };
  }
  const end = Math.min(LARGE, query.offset + query.limit);
  const entries = Array.from({ length: Math.max(0, end - query.offset) }, (_, i) => fileAt(query.offset + i));
  return { ok: true, data: { entries, total: LARGE } };
}

type Answer = (query: BrowseQuery) => unknown;

/** A connected page answering each `browse:request` with what `answer` gives (no answer at all for `undefined`). */
async function browsedPage(answer: Answer): Promise<Connected & { asked: unknown[] }> {
  const client = await harness.connect();
  const asked: unknown[] = [];
  client.socket.on('browse:request', (query, ack) => {
    asked.push(query);
    const reply = answer(query);
    if (reply !== undefined) (ack as (reply: unknown) => void)(reply);
  });
  return Object.assign(client, { asked });
}

const browse = (client: Connected, peerId: string, more: Record<string, unknown> = {}) =>
  rawRequest(client, 'peers:browse', { peerId, ...more });

/** A browse that may take the tracker's whole timeout (the harness's requests give up sooner). */
const slowBrowse = (client: Connected, peerId: string): Promise<Result<unknown>> =>
  (
    client.socket.timeout(BROWSE_TIMEOUT_MS * 2).emitWithAck as unknown as (
      ...args: unknown[]
    ) => Promise<Result<unknown>>
  )('peers:browse', { peerId });

describe('tracker: browsing a peer', () => {
  it('relays pages of a 100,000-file share, folder by folder, never telling the browsed page who asks', async () => {
    harness = await startTracker();
    const bob = await browsedPage(largeShare);
    const alice = await harness.connect();

    expect(await request(alice, 'peers:browse', { peerId: bob.peerId })).toEqual({
      ok: true,
      data: { peerId: bob.peerId, folder: null, offset: 0, entries: [archive], total: 1 },
    });
    const folder = { listingId: LISTING, path: '' };
    const first = await request(alice, 'peers:browse', { peerId: bob.peerId, folder, limit: MAX_BROWSE_LIMIT });
    expect(first.ok && first.data.total).toBe(LARGE);
    expect(first.ok && first.data.entries).toEqual(Array.from({ length: MAX_BROWSE_LIMIT }, (_, n) => fileAt(n)));
    const last = await request(alice, 'peers:browse', { peerId: bob.peerId, folder, offset: LARGE - 50, limit: 100 });
    expect(last).toEqual({
      ok: true,
      data: {
        peerId: bob.peerId,
        folder,
        offset: LARGE - 50,
        entries: Array.from({ length: 50 }, (_, n) => fileAt(LARGE - 50 + n)),
        total: LARGE,
      },
    });
    // The browsed page is asked exactly what the asker asked, and nothing about the asker.
    expect(bob.asked).toEqual([
      { offset: 0, limit: 100 },
      { folder, offset: 0, limit: MAX_BROWSE_LIMIT },
      { folder, offset: LARGE - 50, limit: 100 },
    ]);
    expect(await browse(alice, bob.peerId, { folder: { listingId: fileId(7), path: 'x' } })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });

  it('passes a worst-case page (the most entries, the longest names) within the message limit', async () => {
    harness = await startTracker();
    const longName = (n: number) =>
      Array.from(`${n} ${'🎵'.repeat(300)}`)
        .slice(0, 255)
        .join('');
    const entries: BrowseEntry[] = Array.from({ length: MAX_BROWSE_LIMIT }, (_, n) => ({
      kind: 'file',
      name: longName(n),
      size: 2 ** 37,
      fileId: fileId(n),
    }));
    const reply: BrowseReply = { ok: true, data: { entries, total: MAX_BROWSE_LIMIT } };
    expect(Buffer.byteLength(JSON.stringify(reply))).toBeLessThan(MAX_TRACKER_MESSAGE_BYTES / 2);
    const bob = await browsedPage(() => reply);
    const alice = await harness.connect();
    const answer = await request(alice, 'peers:browse', { peerId: bob.peerId, limit: MAX_BROWSE_LIMIT });
    expect(answer.ok && answer.data.entries).toEqual(entries);
  });

  it('tells the asker when the peer is not connected or leaves before answering', async () => {
    harness = await startTracker();
    const alice = await harness.connect();
    expect(await browse(alice, 'nobody-here')).toMatchObject({ ok: false, error: { code: 'PEER_NOT_FOUND' } });
    const bob = await browsedPage(() => undefined);
    const started = Date.now();
    const answer = browse(alice, bob.peerId);
    await new Promise((resolve) => setTimeout(resolve, 100));
    bob.socket.disconnect();
    expect(await answer).toMatchObject({ ok: false, error: { code: 'PEER_NOT_FOUND', message: /left/ } });
    expect(Date.now() - started).toBeLessThan(BROWSE_TIMEOUT_MS);
  });

  it('tells the asker when the peer does not answer in time', async () => {
    harness = await startTracker();
    const bob = await browsedPage(() => undefined);
    const alice = await harness.connect();
    const started = Date.now();
    expect(await slowBrowse(alice, bob.peerId)).toMatchObject({ ok: false, error: { code: 'PEER_TIMEOUT' } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(BROWSE_TIMEOUT_MS - 50);
    expect(bob.socket.connected && alice.socket.connected).toBe(true);
  }, 15_000);

  const garbage: [string, Answer][] = [
    ['nothing', () => null],
    ['a string', () => 'here you go'],
    ['a bare page', () => ({ entries: [], total: 0 })],
    ['ok without data', () => ({ ok: true })],
    ['an unknown error code', () => ({ ok: false, error: { code: 'INTERNAL', message: 'x' } })],
    ['a negative total', () => ({ ok: true, data: { entries: [], total: -1 } })],
    ['more entries than asked', () => ({ ok: true, data: { entries: [fileAt(1), fileAt(2)], total: 2 } })],
    ['a total that cannot hold the entries', () => ({ ok: true, data: { entries: [fileAt(1)], total: 0 } })],
    ['a file with a bad id', () => ({ ok: true, data: { entries: [{ ...fileAt(1), fileId: 'x' }], total: 1 } })],
    [
      'a name with a control character',
      () => ({ ok: true, data: { entries: [{ ...fileAt(1), name: 'a\u0000' }], total: 1 } }),
    ],
    ['a folder named ..', () => ({ ok: true, data: { entries: [{ ...archive, name: '..' }], total: 1 } })],
    ['a folder name with a slash', () => ({ ok: true, data: { entries: [{ ...archive, name: 'a/b' }], total: 1 } })],
    [
      'a shared folder without its listing',
      () => ({ ok: true, data: { entries: [{ ...archive, listing: undefined }], total: 1 } }),
    ],
    ['a local path', () => ({ ok: true, data: { entries: [{ ...fileAt(1), path: '/home/bob/secret' }], total: 1 } })],
    ['an extra key', () => ({ ok: true, data: { entries: [], total: 0 }, from: 'someone' })],
    [
      'a deeply nested object',
      () => JSON.parse('{"ok":true,"data":'.repeat(500) + 'null' + '}'.repeat(500)) as unknown,
    ],
  ];

  it.each(garbage)('answers BAD_PEER_ANSWER when the browsed page answers %s', async (_description, answer) => {
    harness = await startTracker();
    const bob = await browsedPage(answer);
    const alice = await harness.connect();
    const answerGot = await browse(alice, bob.peerId, { limit: 1 });
    expect(answerGot).toMatchObject({ ok: false, error: { code: 'BAD_PEER_ANSWER' } });
    // Nobody is hurt: both stay connected and are served.
    expect(alice.socket.connected && bob.socket.connected).toBe(true);
    expect((await request(alice, 'files:search', { query: 'x' })).ok).toBe(true);
    expect((await request(bob, 'files:search', { query: 'x' })).ok).toBe(true);
  });

  it('drops a browsed page whose answer is larger than any message may be, and tells the asker', async () => {
    harness = await startTracker();
    const bob = await browsedPage(() => ({
      ok: true,
      data: { entries: [], total: 0, junk: 'x'.repeat(MAX_TRACKER_MESSAGE_BYTES) },
    }));
    const alice = await harness.connect();
    expect(await browse(alice, bob.peerId)).toMatchObject({ ok: false, error: { code: 'PEER_NOT_FOUND' } });
    expect(alice.socket.connected).toBe(true);
  });

  it(`keeps at most ${MAX_PENDING_BROWSES} browse requests of one asker waiting`, async () => {
    harness = await startTracker();
    const held: ((reply: unknown) => void)[] = [];
    const bob = await harness.connect();
    bob.socket.on('browse:request', (_query, ack) => void held.push(ack as (reply: unknown) => void));
    const alice = await harness.connect();
    const waiting = Array.from({ length: MAX_PENDING_BROWSES }, () => browse(alice, bob.peerId));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await browse(alice, bob.peerId)).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
    // Another asker is not held up by this one.
    const carol = await harness.connect();
    const carols = browse(carol, bob.peerId);
    await new Promise((resolve) => setTimeout(resolve, 100));
    for (const ack of held) ack({ ok: true, data: { entries: [], total: 0 } });
    for (const answer of [...waiting, carols]) expect((await answer).ok).toBe(true);
    // Answered: room again.
    const again = browse(alice, bob.peerId);
    await new Promise((resolve) => setTimeout(resolve, 100));
    held.at(-1)?.({ ok: true, data: { entries: [], total: 0 } });
    expect((await again).ok).toBe(true);
  });

  it('limits the rate of browse requests per asker, apart from its other requests', async () => {
    let now = 0;
    harness = await startTracker({ now: () => now });
    const bob = await browsedPage(largeShare);
    const alice = await harness.connect();
    const answers = [];
    // One after another, so the bound on waiting requests never counts.
    for (let n = 0; n < BROWSE_RATE_LIMIT.burst + 10; n++) answers.push(await browse(alice, bob.peerId));
    expect(answers.slice(0, BROWSE_RATE_LIMIT.burst).every((answer) => answer.ok)).toBe(true);
    for (const answer of answers.slice(BROWSE_RATE_LIMIT.burst)) {
      expect(answer).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
    }
    expect(bob.asked).toHaveLength(BROWSE_RATE_LIMIT.burst);
    expect((await request(alice, 'files:search', { query: 'x' })).ok).toBe(true);
    now += 1000 / BROWSE_RATE_LIMIT.perSecond;
    expect((await browse(alice, bob.peerId)).ok).toBe(true);
  });

  const hostile: [string, unknown][] = [
    ['no payload', undefined],
    ['a bare peer id', 'PEER'],
    ['a missing peerId', {}],
    ['an empty peerId', { peerId: '' }],
    ['an oversized peerId', { peerId: 'p'.repeat(65) }],
    ['a numeric peerId', { peerId: 5 }],
    ['a path leaving the folder', { peerId: 'PEER', folder: { listingId: LISTING, path: '../..' } }],
    ['an absolute path', { peerId: 'PEER', folder: { listingId: LISTING, path: '/etc' } }],
    ['a path with an empty part', { peerId: 'PEER', folder: { listingId: LISTING, path: 'a//b' } }],
    ['a path that is too deep', { peerId: 'PEER', folder: { listingId: LISTING, path: 'a/'.repeat(64) + 'a' } }],
    ['a path that is too long', { peerId: 'PEER', folder: { listingId: LISTING, path: 'a'.repeat(2000) } }],
    ['a path with a control character', { peerId: 'PEER', folder: { listingId: LISTING, path: 'a\u0000' } }],
    ['a bad listing id', { peerId: 'PEER', folder: { listingId: 'nope', path: '' } }],
    ['a folder without a path', { peerId: 'PEER', folder: { listingId: LISTING } }],
    ['a negative offset', { peerId: 'PEER', offset: -1 }],
    ['an offset too deep', { peerId: 'PEER', offset: 10_000_000 }],
    ['a zero limit', { peerId: 'PEER', limit: 0 }],
    ['a limit too large', { peerId: 'PEER', limit: MAX_BROWSE_LIMIT + 1 }],
    ['a fractional limit', { peerId: 'PEER', limit: 2.5 }],
    ['an extra field', { peerId: 'PEER', from: 'someone-else' }],
  ];

  it.each(hostile)('refuses peers:browse with %s without asking anyone', async (_description, payload) => {
    harness = await startTracker();
    const bob = await browsedPage(largeShare);
    const alice = await harness.connect();
    const body =
      payload === undefined
        ? undefined
        : (JSON.parse(JSON.stringify(payload).replaceAll('PEER', bob.peerId)) as unknown);
    const answer =
      body === undefined ? await rawRequest(alice, 'peers:browse') : await rawRequest(alice, 'peers:browse', body);
    expect(answer).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    expect(bob.asked).toEqual([]);
    expect(alice.socket.connected).toBe(true);
    expect((await browse(alice, bob.peerId)).ok).toBe(true);
  });
});
