import { MAX_FILES_PER_ANNOUNCE, MAX_PIECE_COUNT, MiB, RATE_LIMITS, type SearchResult } from '@shoal/common';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { searchParams } from './registry/contract-fixtures.ts';
import {
  eventually,
  fileId,
  rawRequest,
  request,
  startTracker,
  type Connected,
  type Harness,
} from './test-support/tracker-harness.ts';

/** A file of `pieces` pieces of 1 MiB. */
function movie(n: number, name: string, pieces: number) {
  return { id: fileId(n), name, size: pieces * MiB, mimeType: 'video/mp4' };
}

/** A bitfield of `pieceCount` pieces with `pieces` set. */
function bits(pieceCount: number, ...pieces: number[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(Math.ceil(pieceCount / 8));
  for (const piece of pieces) out[piece >> 3]! |= 0x80 >> (piece & 7);
  return out;
}

let harness: Harness;
afterEach(async () => {
  await harness.close();
});

/** The one search hit for `query`, as `client` sees it. */
async function hit(client: Connected, query: string): Promise<SearchResult | undefined> {
  const answer = await request(client, 'files:search', { query });
  if (!answer.ok) throw new Error(answer.error.message);
  expect(answer.data.results.length).toBeLessThanOrEqual(1);
  return answer.data.results[0];
}

describe('tracker: piece announcements', () => {
  let seeder: Connected;
  let downloader: Connected;
  let searcher: Connected;
  beforeEach(async () => {
    harness = await startTracker();
    [seeder, downloader, searcher] = await Promise.all([harness.connect(), harness.connect(), harness.connect()]);
    await request(seeder, 'files:register', { files: [movie(1, 'sintel.mp4', 16)] });
  });

  it('takes a Uint8Array bitfield and shows partial holders and availability in search', async () => {
    expect(
      await request(downloader, 'files:announce', { files: [{ id: fileId(1), have: bits(16, 0, 1, 2, 3) }] }),
    ).toEqual({
      ok: true,
      data: { partial: 1 },
    });
    expect(await hit(searcher, 'sintel')).toEqual({
      id: fileId(1),
      name: 'sintel.mp4',
      names: ['sintel.mp4'],
      nameCount: 1,
      size: 16 * MiB,
      mimeType: 'video/mp4',
      holders: 1,
      partialHolders: 1,
      availability: 1,
    });
    // The seeder leaves: the file stays findable, as complete as its partial holders make it.
    seeder.socket.disconnect();
    await eventually(async () =>
      expect(await hit(searcher, 'sintel')).toMatchObject({ holders: 0, partialHolders: 1, availability: 0.25 }),
    );
    const other = await harness.connect();
    await request(other, 'files:announce', { files: [{ id: fileId(1), have: bits(16, 3, 4, 5, 6, 7) }] });
    expect(await hit(searcher, 'sintel')).toMatchObject({ holders: 0, partialHolders: 2, availability: 0.5 });
    expect(await request(searcher, 'files:holders', { fileId: fileId(1) })).toEqual({
      ok: true,
      data: { fileId: fileId(1), holders: [other.peerId, downloader.peerId] },
    });
  });

  it('lists complete holders before partial ones', async () => {
    await request(downloader, 'files:announce', { files: [{ id: fileId(1), have: bits(16, 0) }] });
    expect(await request(searcher, 'files:holders', { fileId: fileId(1) })).toEqual({
      ok: true,
      data: { fileId: fileId(1), holders: [seeder.peerId, downloader.peerId] },
    });
  });

  it('works over HTTP long-polling too', async () => {
    const polling = await harness.connect({ transport: 'polling' });
    expect(await request(polling, 'files:announce', { files: [{ id: fileId(1), have: bits(16, 15) }] })).toEqual({
      ok: true,
      data: { partial: 1 },
    });
    await request(seeder, 'files:unregister', { fileIds: [fileId(1)] });
    expect(await hit(searcher, 'sintel')).toMatchObject({ partialHolders: 1, availability: 1 / 16 });
  });

  it('turns a partial holder into a complete one when it registers the file', async () => {
    await request(downloader, 'files:announce', { files: [{ id: fileId(1), have: bits(16, 0) }] });
    await request(downloader, 'files:register', { files: [movie(1, 'sintel.mp4', 16)] });
    expect(await hit(searcher, 'sintel')).toMatchObject({ holders: 2, partialHolders: 0, availability: 1 });
  });

  describe('refusals leave the registry as it was and the connection usable', () => {
    const snapshot = async () => ({
      stats: await harness.tracker.registry.stats(),
      search: await harness.tracker.registry.search(searchParams('sintel', 0, 10)),
      holders: await harness.tracker.registry.holders(fileId(1)),
    });

    beforeEach(async () => {
      await request(downloader, 'files:announce', { files: [{ id: fileId(1), have: bits(16, 0) }] });
    });

    it.each([
      [
        'a file nobody holds',
        [{ id: fileId(2), have: bits(8, 0) }],
        'UNKNOWN_FILE',
        /files\.0\.id: .*not in the registry/,
      ],
      [
        'a bitfield of the wrong length, after a good entry',
        [
          { id: fileId(1), have: bits(16, 0, 1, 2) },
          { id: fileId(1), have: bits(8, 0) },
        ],
        'INVALID_PAYLOAD',
        /^files\.1\.have: bitfield does not match the file's 16 pieces$/,
      ],
      [
        'a bit past the last piece',
        [{ id: fileId(1), have: Uint8Array.of(0xff, 0xff, 0x80) }],
        'INVALID_PAYLOAD',
        /16 pieces/,
      ],
    ])('%s', async (_case, files, code, message) => {
      const before = await snapshot();
      const answer = await request(downloader, 'files:announce', { files });
      expect(answer).toEqual({
        ok: false,
        error: { code, message: expect.stringMatching(message) as unknown as string },
      });
      expect(await snapshot()).toEqual(before);
      expect(downloader.socket.connected).toBe(true);
      expect(await request(downloader, 'files:announce', { files: [{ id: fileId(1), have: bits(16, 1) }] })).toEqual({
        ok: true,
        data: { partial: 1 },
      });
    });
  });

  it('forgets partial holdings when their peer disconnects', async () => {
    await request(downloader, 'files:announce', { files: [{ id: fileId(1), have: bits(16, 0) }] });
    const second = await harness.connect();
    await request(second, 'files:announce', { files: [{ id: fileId(1), have: bits(16, 1) }] });
    downloader.socket.disconnect();
    await eventually(async () => expect(await hit(searcher, 'sintel')).toMatchObject({ partialHolders: 1 }));
    seeder.socket.disconnect();
    await eventually(async () =>
      expect(await hit(searcher, 'sintel')).toMatchObject({ holders: 0, availability: 1 / 16 }),
    );
    second.socket.disconnect();
    await eventually(async () => expect(await harness.tracker.registry.stats()).toEqual({ peers: 0, files: 0 }));
    expect(await hit(searcher, 'sintel')).toBeUndefined();
  });

  it('withdraws with an all-zero bitfield and unregisters partial holdings', async () => {
    await request(seeder, 'files:register', { files: [movie(2, 'sintel trailer.mp4', 2)] });
    await request(downloader, 'files:announce', {
      files: [
        { id: fileId(1), have: bits(16, 0) },
        { id: fileId(2), have: bits(2, 1) },
      ],
    });
    expect(await request(downloader, 'files:announce', { files: [{ id: fileId(1), have: bits(16) }] })).toEqual({
      ok: true,
      data: { partial: 1 },
    });
    expect(await request(downloader, 'files:unregister', { fileIds: [fileId(2)] })).toEqual({
      ok: true,
      data: { removed: 1 },
    });
    expect(await harness.tracker.registry.holders(fileId(1))).toEqual([seeder.peerId]);
    expect(await harness.tracker.registry.holders(fileId(2))).toEqual([seeder.peerId]);
  });
});

describe('tracker: piece announcement limits', () => {
  it('takes one token from the request bucket per announcement', async () => {
    let now = 0;
    harness = await startTracker({ now: () => now });
    const seeder = await harness.connect();
    await request(seeder, 'files:register', { files: [movie(1, 'sintel.mp4', 16)] });
    const client = await harness.connect();
    const announce = () => request(client, 'files:announce', { files: [{ id: fileId(1), have: bits(16, 2) }] });
    const answers = await Promise.all(Array.from({ length: RATE_LIMITS.requests.burst + 25 }, announce));
    expect(answers.filter((a) => a.ok)).toHaveLength(RATE_LIMITS.requests.burst);
    expect(answers.filter((a) => !a.ok && a.error.code === 'RATE_LIMITED')).toHaveLength(25);
    expect((await request(client, 'files:search', { query: 'sintel' })).ok).toBe(false);
    now += 1000 / RATE_LIMITS.requests.perSecond;
    expect(await announce()).toEqual({ ok: true, data: { partial: 1 } });
    expect(client.socket.connected).toBe(true);
  });

  describe('malformed payloads', () => {
    let attacker: Connected;
    const good = { id: fileId(1), have: bits(16, 0) };
    const before = { stats: { peers: 1, files: 1 }, holders: ['seeder'] };

    beforeEach(async () => {
      harness = await startTracker();
      const seeder = await harness.connect();
      await request(seeder, 'files:register', { files: [movie(1, 'sintel.mp4', 16)] });
      before.holders = [seeder.peerId];
      attacker = await harness.connect();
    });

    it.each<[string, unknown]>([
      ['an extra top-level key', { files: [good], peerId: 'someone-else' }],
      ['an extra entry key', { files: [{ ...good, name: 'renamed.mp4' }] }],
      ['an oversized bitfield', { files: [{ id: fileId(1), have: new Uint8Array(MAX_PIECE_COUNT / 8 + 1) }] }],
      ['an empty bitfield', { files: [{ id: fileId(1), have: new Uint8Array(0) }] }],
      ['a bitfield as an array of numbers', { files: [{ id: fileId(1), have: [0x80, 0] }] }],
      ['a bitfield as a string', { files: [{ id: fileId(1), have: 'gAA=' }] }],
      ['a bitfield as an array-like object', { files: [{ id: fileId(1), have: { 0: 0x80, 1: 0, length: 2 } }] }],
      ['a bitfield as a number', { files: [{ id: fileId(1), have: 0x8000 }] }],
      ['a missing bitfield', { files: [{ id: fileId(1) }] }],
      ['a bad file id', { files: [{ id: 'sintel', have: bits(16, 0) }] }],
      ['no files', { files: [] }],
      [
        // (With a binary bitfield each, so many files close the connection first: see below.)
        `more than ${MAX_FILES_PER_ANNOUNCE} files`,
        { files: [...Array.from({ length: MAX_FILES_PER_ANNOUNCE }, () => good), { id: fileId(1), have: [0x80] }] },
      ],
      ['a bare bitfield', bits(16, 0)],
      ['null', null],
    ])('refuses %s with INVALID_PAYLOAD, changing nothing', async (_case, payload) => {
      const answer = await rawRequest(attacker, 'files:announce', payload);
      expect(answer).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
      if (!answer.ok) expect(answer.error.message.length).toBeGreaterThan(0);
      expect(await harness.tracker.registry.stats()).toEqual(before.stats);
      expect(await harness.tracker.registry.holders(fileId(1))).toEqual(before.holders);
      expect(attacker.socket.connected).toBe(true);
      expect(await request(attacker, 'files:announce', { files: [good] })).toEqual({ ok: true, data: { partial: 1 } });
    });

    it(`takes ${MAX_FILES_PER_ANNOUNCE} binary bitfields in one announcement`, async () => {
      const seeder = await harness.connect();
      const files = Array.from({ length: MAX_FILES_PER_ANNOUNCE }, (_, i) => movie(100 + i, `episode ${i}.mp4`, 9));
      await request(seeder, 'files:register', { files });
      const announced = files.map(({ id }, i) => ({ id, have: bits(9, i % 9) }));
      expect(await request(attacker, 'files:announce', { files: announced })).toEqual({
        ok: true,
        data: { partial: MAX_FILES_PER_ANNOUNCE },
      });
      await request(seeder, 'files:unregister', { fileIds: files.map(({ id }) => id) });
      const found = await request(attacker, 'files:search', { query: 'episode', limit: MAX_FILES_PER_ANNOUNCE });
      expect(found.ok && found.data.results.map((r) => r.availability)).toEqual(
        Array.from({ length: MAX_FILES_PER_ANNOUNCE }, () => 1 / 9),
      );
    });

    it('drops only the connection that sends more binary attachments than an announcement has', async () => {
      await request(attacker, 'files:announce', { files: [good] });
      const dropped = new Promise<string>((resolve) => attacker.socket.once('disconnect', resolve));
      const files = Array.from({ length: MAX_FILES_PER_ANNOUNCE + 1 }, () => ({ id: fileId(1), have: bits(16, 1) }));
      void rawRequest(attacker, 'files:announce', { files }).catch(() => undefined);
      expect(await dropped).toMatch(/transport (close|error)|parse error/);
      // Its holdings go with it; everyone else carries on.
      await eventually(async () => expect(await harness.tracker.registry.stats()).toEqual(before.stats));
      const bystander = await harness.connect();
      expect(await request(bystander, 'files:announce', { files: [good] })).toEqual({ ok: true, data: { partial: 1 } });
    });

    it('says which bitfield is too long', async () => {
      const answer = await rawRequest(attacker, 'files:announce', {
        files: [good, { id: fileId(1), have: new Uint8Array(4096) }],
      });
      expect(answer).toEqual({
        ok: false,
        error: { code: 'INVALID_PAYLOAD', message: 'files.1.have: must be 1 to 1024 bytes' },
      });
    });
  });
});
