import {
  MAX_CATCH_UP_MATCHES,
  MAX_QUERY_LENGTH,
  MAX_WATCHES_PER_PEER,
  RATE_LIMITS,
  WATCH_NEEDS_A_WORD,
  type SearchResult,
  type WatchAddResponse,
  type WatchMatch,
  watchMatchSchema,
  watchMatchesSchema,
} from '@shoal/common';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { oneHolderResult } from './registry/contract-fixtures.ts';
import { RedisRegistry } from './registry/redis.ts';
import { startRedisServer, type RedisServer } from './test-support/redis-server.ts';
import {
  eventually,
  fileId,
  rawEmit,
  rawRequest,
  request,
  sleep,
  startTracker,
  type Connected,
  type Harness,
} from './test-support/tracker-harness.ts';

/** Trackers a test started, closed after it. */
const started: Harness[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((tracker) => tracker.close()));
});
async function start(options?: Parameters<typeof startTracker>[0]): Promise<Harness> {
  const tracker = await startTracker(options);
  started.push(tracker);
  return tracker;
}

/** Every match a client receives, in order, whatever push carried it. */
function inbox(client: Connected): WatchMatch[] {
  const matches: WatchMatch[] = [];
  client.socket.on('watch:matches', (push) => matches.push(...push));
  return matches;
}

async function watch(
  client: Connected,
  payload: { query: string; since?: number } | { fileId: string },
): Promise<string> {
  return (await watchClocked(client, payload)).watchId;
}

/** Adds a watch; its id and the time from which it is live. */
async function watchClocked(
  client: Connected,
  payload: { query: string; since?: number } | { fileId: string },
): Promise<WatchAddResponse> {
  const answer = await request(client, 'watch:add', payload);
  if (!answer.ok) throw new Error(`${answer.error.code}: ${answer.error.message}`);
  return answer.data;
}

async function register(client: Connected, n: number, name: string, extra: Partial<SearchResult> = {}) {
  const answer = await request(client, 'files:register', {
    files: [{ id: fileId(n), name, size: extra.size ?? 1000 + n, mimeType: extra.mimeType ?? '' }],
  });
  expect(answer.ok).toBe(true);
}

describe('tracker: watched searches', () => {
  it('pushes a newly registered matching file to the watcher, and to nobody else', async () => {
    const harness = await start();
    const alice = await harness.connect();
    const bob = await harness.connect();
    const carol = await harness.connect();
    const bobs = inbox(bob);
    const others = [...inbox(alice), ...inbox(carol)];
    const watchId = await watch(bob, { query: 'sunset' });
    await watch(carol, { query: 'harbour' });
    await register(alice, 1, 'Sunset beach.jpg', { size: 5, mimeType: 'image/jpeg' });
    await register(alice, 2, 'Forest.jpg');
    await eventually(() => expect(bobs).toHaveLength(1));
    expect(bobs[0]).toEqual({
      watchId,
      file: oneHolderResult(1, 'Sunset beach.jpg', 5, 'image/jpeg'),
      firstSeen: expect.any(Number) as unknown,
    });
    await sleep(50);
    expect(bobs).toHaveLength(1);
    expect(others).toEqual([]);
  });

  it('pushes a connection the matches of one registration together, each once, valid for the page to read', async () => {
    const harness = await start();
    const alice = await harness.connect();
    const bob = await harness.connect();
    const packets: unknown[][] = [];
    bob.socket.on('watch:matches', (push) => packets.push(push));
    const queries = ['sunset', 'beach', 'sunset beach'];
    const ids = await Promise.all(queries.map((query) => watch(bob, { query })));
    const share = RATE_LIMITS.watchQueryMatchesPerRegistrant.burst;
    const files = Array.from({ length: share + 2 }, (_, n) => ({
      id: fileId(n + 1),
      name: `sunset beach ${n}.jpg`,
      size: 10,
      mimeType: '',
    }));
    expect((await request(alice, 'files:register', { files })).ok).toBe(true);
    // Each query gets its registrant's share of the batch: in all, far fewer pushes than matches.
    const expected = queries.length * share;
    await eventually(() => expect(packets.flat()).toHaveLength(expected));
    await sleep(50);
    const matches = packets.flat().map((match) => watchMatchSchema.parse(match));
    expect(matches).toHaveLength(expected);
    expect(new Set(matches.map(({ watchId, file }) => `${watchId}:${file.id}`)).size).toBe(expected);
    expect(new Set(matches.map(({ watchId }) => watchId))).toEqual(new Set(ids));
    expect(packets.length).toBeLessThan(expected);
    expect(packets.every((push) => watchMatchesSchema.safeParse(push).success)).toBe(true);
  });

  it('uses the search syntax: phrases, exclusions and filters', async () => {
    const harness = await start();
    const alice = await harness.connect();
    const bob = await harness.connect();
    const bobs = inbox(bob);
    const phrase = await watch(bob, { query: '"sea view" -draft' });
    const video = await watch(bob, { query: 'holiday type:video size:>1KB' });
    await register(alice, 1, 'view of the sea.png');
    await register(alice, 2, 'sea view draft.png');
    await register(alice, 3, 'the sea view.png');
    await register(alice, 4, 'holiday.mkv', { size: 100 });
    await register(alice, 5, 'holiday.mkv', { size: 5000 });
    await register(alice, 6, 'holiday.txt', { size: 5000 });
    await eventually(() => expect(bobs).toHaveLength(2));
    await sleep(50);
    expect(bobs.map(({ watchId, file }) => [watchId, file.id]).sort()).toEqual(
      [
        [phrase, fileId(3)],
        [video, fileId(5)],
      ].sort(),
    );
  });

  it('stops pushing after watch:remove, and one peer cannot remove another’s watch', async () => {
    const harness = await start();
    const alice = await harness.connect();
    const bob = await harness.connect();
    const mallory = await harness.connect();
    const bobs = inbox(bob);
    const watchId = await watch(bob, { query: 'report' });
    expect(await request(mallory, 'watch:remove', { watchId })).toEqual({ ok: true, data: { removed: false } });
    await register(alice, 1, 'report 1.pdf');
    await eventually(() => expect(bobs).toHaveLength(1));
    expect(await request(bob, 'watch:remove', { watchId })).toEqual({ ok: true, data: { removed: true } });
    expect(await request(bob, 'watch:remove', { watchId })).toEqual({ ok: true, data: { removed: false } });
    await register(alice, 2, 'report 2.pdf');
    await sleep(100);
    expect(bobs).toHaveLength(1);
  });

  it(`keeps at most ${MAX_WATCHES_PER_PEER} watches per connection and drops them on disconnect`, async () => {
    const harness = await start();
    const bob = await harness.connect();
    for (let n = 0; n < MAX_WATCHES_PER_PEER; n++) await watch(bob, { query: `topic${n}` });
    expect(await request(bob, 'watch:add', { query: 'one more' })).toEqual({
      ok: false,
      error: {
        code: 'TOO_MANY_WATCHES',
        message: `a connection may keep at most ${MAX_WATCHES_PER_PEER} watches at once; remove one first`,
      },
    });
    expect(harness.tracker.watches.stats().watches).toBe(MAX_WATCHES_PER_PEER);
    // Another connection has its own allowance.
    const carol = await harness.connect();
    await watch(carol, { query: 'one more' });
    bob.socket.disconnect();
    await eventually(() => expect(harness.tracker.watches.stats().watches).toBe(1));
    carol.socket.disconnect();
    await eventually(() => expect(harness.tracker.watches.stats()).toMatchObject({ watches: 0, distinct: 0 }));
  });

  it('refuses a wrong query or one without a word with INVALID_QUERY and a hint, adding nothing', async () => {
    const harness = await start();
    const bob = await harness.connect();
    expect(await request(bob, 'watch:add', { query: 'cats type:movie' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_QUERY', message: expect.stringMatching(/^Unknown type "movie"/) as unknown },
    });
    for (const query of ['-draft', 'type:video', '   ', '!!!']) {
      expect(await request(bob, 'watch:add', { query })).toEqual({
        ok: false,
        error: { code: 'INVALID_QUERY', message: WATCH_NEEDS_A_WORD },
      });
    }
    expect(harness.tracker.watches.stats().watches).toBe(0);
  });

  it('limits watch events with the request rate, for that connection only', async () => {
    let now = 0;
    const harness = await start({ now: () => now });
    const flooder = await harness.connect();
    const bystander = await harness.connect();
    const answers = await Promise.all(
      Array.from({ length: RATE_LIMITS.requests.burst + 20 }, (_, n) =>
        n % 2 === 0
          ? request(flooder, 'watch:add', { query: 'flood' })
          : request(flooder, 'watch:remove', { watchId: 'w1' }),
      ),
    );
    expect(answers.filter((a) => !a.ok && a.error.code === 'RATE_LIMITED')).toHaveLength(20);
    expect(answers.filter((a) => !a.ok && a.error.code === 'TOO_MANY_WATCHES').length).toBeGreaterThan(0);
    expect((await request(flooder, 'files:lookup', { fileId: fileId(1) })).ok).toBe(false);
    expect(await request(bystander, 'files:lookup', { fileId: fileId(1) })).toEqual({
      ok: true,
      data: { fileId: fileId(1), file: null },
    });
    now += 1000;
    expect((await request(flooder, 'files:lookup', { fileId: fileId(1) })).ok).toBe(true);
  });

  it('adds nothing for an event without an acknowledgement callback', async () => {
    const harness = await start();
    const bob = await harness.connect();
    rawEmit(bob, 'watch:add', { query: 'sunset' });
    rawEmit(bob, 'files:lookup', { fileId: fileId(1) });
    await sleep(50);
    expect(harness.tracker.watches.stats().watches).toBe(0);
    expect(bob.socket.connected).toBe(true);
  });
});

describe('tracker: catching a watch up on what was registered while its page was away', () => {
  it('pushes exactly the matches first registered since then, the newest ones at most, oldest first', async () => {
    const harness = await start();
    const alice = await harness.connect();
    await register(alice, 1, 'sunset before.jpg');
    const bob = await harness.connect();
    const bobs = inbox(bob);
    await watch(bob, { query: 'sunset' });
    await register(alice, 2, 'sunset seen live.jpg');
    await eventually(() => expect(bobs).toHaveLength(1));
    const since = bobs[0]?.firstSeen ?? 0;
    bob.socket.disconnect();

    // While Bob is away: more matches than are caught up, a file that does not match, one that came and went.
    const away = MAX_CATCH_UP_MATCHES + 5;
    for (let n = 1; n <= away; n++) {
      await sleep(2);
      await register(alice, 100 + n, `sunset away ${n}.jpg`);
    }
    await register(alice, 3, 'forest.jpg');
    await register(alice, 4, 'sunset gone.jpg');
    expect(await request(alice, 'files:unregister', { fileIds: [fileId(4)] })).toMatchObject({ ok: true });

    const back = await harness.connect();
    const backs = inbox(back);
    const added = await watchClocked(back, { query: 'sunset', since });
    await eventually(() => expect(backs).toHaveLength(MAX_CATCH_UP_MATCHES));
    await sleep(50);
    const newest = Array.from({ length: MAX_CATCH_UP_MATCHES }, (_, k) => away - MAX_CATCH_UP_MATCHES + 1 + k);
    expect(backs.map((match) => match.file.name)).toEqual(newest.map((n) => `sunset away ${n}.jpg`));
    expect(backs.every((match) => match.watchId === added.watchId && match.catchUp === true)).toBe(true);
    expect(backs.every((match) => match.firstSeen > since && match.firstSeen < added.liveFrom)).toBe(true);

    // Asking from the third newest on gets it and the two after it.
    const third = backs.at(-3)?.firstSeen ?? 0;
    const again = await harness.connect();
    const agains = inbox(again);
    await watch(again, { query: 'sunset', since: third });
    await eventually(() => expect(agains).toHaveLength(3));
    await sleep(50);
    expect(agains.map((match) => match.file.name)).toEqual(
      [away - 2, away - 1, away].map((n) => `sunset away ${n}.jpg`),
    );
    expect(harness.tracker.watches.stats().caughtUp).toBe(MAX_CATCH_UP_MATCHES + 3);
  });

  it('catches nothing up without since, or from a time to come, and says from when it is live', async () => {
    const harness = await start();
    const alice = await harness.connect();
    await register(alice, 1, 'sunset.jpg');
    const bob = await harness.connect();
    const bobs = inbox(bob);
    const before = Date.now();
    const plain = await watchClocked(bob, { query: 'sunset' });
    expect(plain.liveFrom).toBeGreaterThan(before);
    expect(plain.liveFrom).toBeLessThanOrEqual(Date.now() + 1);
    await watch(bob, { query: 'sunset jpg', since: plain.liveFrom + 3_600_000 });
    await sleep(100);
    expect(bobs).toEqual([]);
  });

  it.each<[string, unknown, string]>([
    ['negative', -1, 'since: must not be negative'],
    ['fractional', 1.5, 'since: must be a whole number of milliseconds'],
    ['a string', '1700000000000', 'since: must be a number of milliseconds on the tracker clock'],
    ['null', null, 'since: must be a number of milliseconds on the tracker clock'],
    ['past the safe integers', 2 ** 60, 'since: must be a whole number of milliseconds (and 1 more)'],
    ['an object', { $gt: 0 }, 'since: must be a number of milliseconds on the tracker clock'],
  ])('refuses a since that is %s with a clear INVALID_PAYLOAD, adding nothing', async (_what, since, message) => {
    const harness = await start();
    const bob = await harness.connect();
    expect(await rawRequest(bob, 'watch:add', { query: 'sunset', since })).toEqual({
      ok: false,
      error: { code: 'INVALID_PAYLOAD', message },
    });
    expect(await rawRequest(bob, 'watch:add', { fileId: fileId(1), since: 0 })).toEqual({
      ok: false,
      error: { code: 'INVALID_PAYLOAD', message: 'payload: Unrecognized key: "since"' },
    });
    expect(harness.tracker.watches.stats()).toMatchObject({ watches: 0, caughtUp: 0 });
    expect(bob.socket.connected).toBe(true);
  });
});

describe('tracker: a flood of matching registrations from one peer', () => {
  it('does not stop another peer’s matching file from being pushed to the watcher', async () => {
    const harness = await start();
    const mallory = await harness.connect();
    const alice = await harness.connect();
    const bob = await harness.connect();
    const bobs = inbox(bob);
    await watch(bob, { query: 'photos' });
    const flood = Array.from({ length: 1000 }, (_, n) => ({
      id: fileId(10_000 + n),
      name: `photos ${n}.jpg`,
      size: 1000,
      mimeType: 'image/jpeg',
    }));
    for (let at = 0; at < flood.length; at += 250) {
      expect(await request(mallory, 'files:register', { files: flood.slice(at, at + 250) })).toMatchObject({
        ok: true,
      });
    }
    await register(alice, 1, 'photos of the harbour.jpg');
    await eventually(() => expect(bobs.map((match) => match.file.name)).toContain('photos of the harbour.jpg'));
    await sleep(50);
    const share = RATE_LIMITS.watchQueryMatchesPerRegistrant.burst;
    expect(bobs.filter((match) => match.file.name !== 'photos of the harbour.jpg')).toHaveLength(share);
    expect(harness.tracker.watches.stats().overShare).toBe(flood.length - share);
  });
});

describe('tracker: files:lookup and file id watches', () => {
  it('looks a file up by id as a search shows it, or answers null', async () => {
    const harness = await start();
    const alice = await harness.connect();
    const bob = await harness.connect();
    await register(alice, 1, 'Sunset beach.jpg', { size: 5, mimeType: 'image/jpeg' });
    expect(await request(bob, 'files:lookup', { fileId: fileId(1) })).toEqual({
      ok: true,
      data: {
        fileId: fileId(1),
        file: oneHolderResult(1, 'Sunset beach.jpg', 5, 'image/jpeg'),
      },
    });
    alice.socket.disconnect();
    await eventually(async () =>
      expect(await request(bob, 'files:lookup', { fileId: fileId(1) })).toEqual({
        ok: true,
        data: { fileId: fileId(1), file: null },
      }),
    );
  });

  it('tells a file id watch when the content comes back, and at once when it is there', async () => {
    const harness = await start();
    const alice = await harness.connect();
    const bob = await harness.connect();
    const bobs = inbox(bob);
    const waiting = await watch(bob, { fileId: fileId(1) });
    await register(alice, 2, 'unrelated.bin');
    await register(alice, 1, 'came back.bin');
    await eventually(() => expect(bobs.map((m) => [m.watchId, m.file.name])).toEqual([[waiting, 'came back.bin']]));
    const present = await watch(bob, { fileId: fileId(1) });
    await eventually(() => expect(bobs.map((m) => m.watchId)).toEqual([waiting, present]));
  });
});

describe('tracker: hostile watch and lookup payloads', () => {
  const BAD = '__none__';
  const cases: [string, string, unknown][] = [
    ['watch:add', 'no payload', BAD],
    ['watch:add', 'null', null],
    ['watch:add', 'a string', 'sunset'],
    ['watch:add', 'an array', [{ query: 'sunset' }]],
    ['watch:add', 'an empty object', {}],
    ['watch:add', 'an empty query', { query: '' }],
    ['watch:add', 'a numeric query', { query: 42 }],
    ['watch:add', 'an oversized query', { query: 'q'.repeat(MAX_QUERY_LENGTH + 1) }],
    ['watch:add', 'a huge query', { query: 'q'.repeat(500_000) }],
    ['watch:add', 'both a query and a file id', { query: 'sunset', fileId: fileId(1) }],
    ['watch:add', 'a bad file id', { fileId: 'abc' }],
    ['watch:add', 'an upper-case file id', { fileId: 'A'.repeat(64) }],
    ['watch:add', 'someone else’s peer id', { query: 'sunset', peerId: 'victim' }],
    ['watch:add', 'a chosen watch id', { query: 'sunset', watchId: 'w1' }],
    ['watch:add', 'a prototype key', JSON.parse('{"__proto__": {"query": "x"}}') as unknown],
    ['watch:add', 'a negative since', { query: 'sunset', since: -1 }],
    ['watch:add', 'a since that is not a number', { query: 'sunset', since: '0' }],
    ['watch:add', 'a since with a file id', { fileId: fileId(1), since: 0 }],
    ['watch:remove', 'no payload', BAD],
    ['watch:remove', 'a missing watch id', {}],
    ['watch:remove', 'a numeric watch id', { watchId: 1 }],
    ['watch:remove', 'an empty watch id', { watchId: '' }],
    ['watch:remove', 'an oversized watch id', { watchId: 'w'.repeat(33) }],
    ['watch:remove', 'a watch id with spaces', { watchId: 'w 1' }],
    ['watch:remove', 'someone else’s peer id', { watchId: 'w1', peerId: 'victim' }],
    ['files:lookup', 'no payload', BAD],
    ['files:lookup', 'a missing file id', {}],
    ['files:lookup', 'a bad file id', { fileId: 'nope' }],
    ['files:lookup', 'an extra field', { fileId: fileId(1), name: 'x' }],
  ];

  // One tracker for the whole table (not the file's per-test `harness`).
  let shared: Harness;
  let victim: Connected;
  let victimWatch: string;
  let alice: Connected;
  beforeAll(async () => {
    shared = await startTracker();
    alice = await shared.connect();
    victim = await shared.connect();
    victimWatch = await watch(victim, { query: 'sunset' });
  });
  afterAll(async () => {
    await shared.close();
  });

  it.each(cases)('%s with %s: INVALID_PAYLOAD, nothing changed', async (event, _description, payload) => {
    const attacker = await shared.connect();
    const before = shared.tracker.watches.stats();
    const answer = payload === BAD ? await rawRequest(attacker, event) : await rawRequest(attacker, event, payload);
    expect(answer).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    if (!answer.ok) expect(answer.error.message.length).toBeGreaterThan(0);
    expect(shared.tracker.watches.stats()).toEqual(before);
    expect(attacker.socket.connected).toBe(true);
    expect((await request(attacker, 'files:lookup', { fileId: fileId(1) })).ok).toBe(true);
    attacker.socket.disconnect();
  });

  it('leaves the victim’s watch in place and working', async () => {
    const matches = inbox(victim);
    await register(alice, 1, 'sunset after the storm.jpg');
    await eventually(() => expect(matches.map((m) => m.watchId)).toEqual([victimWatch]));
  });
});

describe('tracker: watches with two trackers on one Redis', () => {
  let redis: RedisServer;
  const registries: RedisRegistry[] = [];
  const harnesses: Harness[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await Promise.all(harnesses.map((h) => h.close()));
    await Promise.all(registries.map((r) => r.close()));
    await redis.stop();
  });

  const open = async (): Promise<Harness> => {
    const registry = await RedisRegistry.open({
      url: redis.url,
      logger: pino({ level: 'silent' }),
      leaseMs: 15_000,
      prefix: '{watch}:',
    });
    registries.push(registry);
    const tracker = await startTracker({ registry });
    harnesses.push(tracker);
    return tracker;
  };

  it('pushes to a watcher on one tracker a file registered through the other', async () => {
    const one = await open();
    const two = await open();
    const alice = await one.connect();
    const bob = await two.connect();
    const bobs = inbox(bob);
    const watchId = await watch(bob, { query: 'sunset' });
    const link = await watch(bob, { fileId: fileId(2) });
    await register(alice, 1, 'Sunset beach.jpg');
    await register(alice, 2, 'linked.bin');
    await eventually(() =>
      expect(bobs.map((m) => [m.watchId, m.file.name]).sort()).toEqual(
        [
          [watchId, 'Sunset beach.jpg'],
          [link, 'linked.bin'],
        ].sort(),
      ),
    );
    expect(await request(bob, 'files:lookup', { fileId: fileId(1) })).toMatchObject({
      ok: true,
      data: { file: { name: 'Sunset beach.jpg', holders: 1 } },
    });
  });

  it('catches a page that failed over up with the since another tracker gave it: one clock for all', async () => {
    const one = await open();
    const two = await open();
    const alice = await one.connect();
    await register(alice, 10, 'lighthouse old.png');
    const bob = await two.connect();
    const { liveFrom } = await watchClocked(bob, { query: 'lighthouse' });
    bob.socket.disconnect();
    await register(alice, 11, 'lighthouse at dawn.png');
    await register(alice, 12, 'harbour.png');

    // Bob's page comes back through the other tracker and gives the time the first one said its watch was live from.
    const back = await one.connect();
    const backs = inbox(back);
    await watch(back, { query: 'lighthouse', since: liveFrom });
    await eventually(() =>
      expect(backs.map((m) => [m.file.name, m.catchUp])).toEqual([['lighthouse at dawn.png', true]]),
    );
    expect(backs[0]?.firstSeen).toBeGreaterThanOrEqual(liveFrom);
    // The first tracker dates the file alike.
    const onTwo = await two.connect();
    const onTwos = inbox(onTwo);
    await watch(onTwo, { query: 'lighthouse', since: liveFrom });
    await eventually(() => expect(onTwos.map((m) => m.firstSeen)).toEqual([backs[0]?.firstSeen]));
  });
});
