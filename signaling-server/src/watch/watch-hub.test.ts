import {
  MAX_CATCH_UP_MATCHES,
  MAX_MATCHES_PER_PUSH,
  MAX_WATCHES_PER_PEER,
  RATE_LIMITS,
  WATCH_NEEDS_A_WORD,
  type FileRegistration,
  type WatchMatch,
} from '@shoal/common';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { file, fileId, oneHolderResult } from '../registry/contract-fixtures.ts';
import { MemoryRegistry } from '../registry/memory.ts';
import { WatchHub, type WatchHubOptions } from './watch-hub.ts';

/** Lets queued matching (setImmediate slices) and lookups run. */
const settle = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
};

/** The registry's clock in these tests: when every file is first registered. */
const REGISTERED_AT = 1_700_000_000_000;

describe('WatchHub', () => {
  let registry: MemoryRegistry;
  /** Every match delivered, one by one, and the pushes that carried them. */
  let delivered: { peer: string; match: WatchMatch }[];
  let pushes: { peer: string; matches: WatchMatch[] }[];
  let clock: number;
  /** Hubs of the running test, closed after it (a hub left running would go on reading the shared clock). */
  const hubs: WatchHub[] = [];
  const hubWith = (options: Partial<WatchHubOptions> = {}): WatchHub => {
    const hub = new WatchHub({
      registry,
      logger: pino({ level: 'silent' }),
      deliver: (peer, matches) => {
        pushes.push({ peer, matches });
        for (const match of matches) delivered.push({ peer, match });
      },
      now: () => clock,
      ...options,
    });
    hubs.push(hub);
    return hub;
  };
  const watchId = (outcome: ReturnType<WatchHub['add']>): string => {
    if (!outcome.ok) throw new Error(outcome.error.message);
    return outcome.data.watchId;
  };

  /** Registers each file as another peer's, so that no registrant's share of a query's allowance is what limits. */
  const registerApart = async (files: FileRegistration[]): Promise<void> => {
    for (const [n, registration] of files.entries()) await registry.register(`peer${n}`, [registration]);
  };

  afterEach(() => {
    for (const hub of hubs.splice(0)) hub.close();
  });
  beforeEach(() => {
    registry = new MemoryRegistry({ now: () => REGISTERED_AT });
    delivered = [];
    pushes = [];
    clock = 0;
  });

  it('pushes a matching file after the registration is answered, as a search shows it', async () => {
    const hub = hubWith();
    const id = watchId(hub.add('bob', { query: 'sunset' }));
    watchId(hub.add('bob', { query: 'harbour' }));
    await registry.register('alice', [file(1, 'Sunset beach.jpg', { size: 5, mimeType: 'image/jpeg' })]);
    await registry.register('carol', [file(2, 'Forest.jpg')]);
    // Answered before any matching ran: it waits for the next turn of the event loop.
    expect(delivered).toEqual([]);
    expect(hub.stats().pending).toBe(2);
    await settle();
    expect(delivered).toEqual([
      {
        peer: 'bob',
        match: {
          watchId: id,
          file: oneHolderResult(1, 'Sunset beach.jpg', 5, 'image/jpeg'),
          firstSeen: REGISTERED_AT,
        },
      },
    ]);
    expect(hub.stats()).toMatchObject({ watches: 2, pending: 0, pushed: 1 });
  });

  it('pushes to every watch a file matches, of every peer', async () => {
    const hub = hubWith();
    const a = watchId(hub.add('bob', { query: 'sunset' }));
    const b = watchId(hub.add('bob', { query: 'beach type:image' }));
    const c = watchId(hub.add('dave', { query: 'sunset' }));
    await registry.register('alice', [file(1, 'Sunset beach.jpg')]);
    await settle();
    expect(delivered.map(({ peer, match }) => `${peer}:${match.watchId}`).sort()).toEqual(
      [`bob:${a}`, `bob:${b}`, `dave:${c}`].sort(),
    );
  });

  it('tells of a new name of a known file, under that name', async () => {
    const hub = hubWith();
    await registry.register('alice', [file(1, 'IMG_0042.jpg')]);
    watchId(hub.add('bob', { query: 'sunset' }));
    await registry.register('carol', [file(1, 'sunset over the bay.jpg')]);
    await settle();
    expect(delivered.map(({ match }) => [match.file.name, match.file.holders])).toEqual([
      ['sunset over the bay.jpg', 2],
    ]);
  });

  it('refuses a wrong or wordless query with a hint, and a watch past the limit', async () => {
    const hub = hubWith();
    expect(hub.add('bob', { query: 'cats type:movie' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_QUERY', message: expect.stringMatching(/Unknown type "movie"/) as unknown },
    });
    expect(hub.add('bob', { query: '-draft type:video' })).toEqual({
      ok: false,
      error: { code: 'INVALID_QUERY', message: WATCH_NEEDS_A_WORD },
    });
    const ids = Array.from({ length: MAX_WATCHES_PER_PEER }, (_, n) => watchId(hub.add('bob', { query: `w${n}` })));
    expect(new Set(ids).size).toBe(MAX_WATCHES_PER_PEER);
    expect(hub.add('bob', { query: 'one more' })).toMatchObject({ ok: false, error: { code: 'TOO_MANY_WATCHES' } });
    expect(hub.add('bob', { fileId: fileId(1) })).toMatchObject({ ok: false, error: { code: 'TOO_MANY_WATCHES' } });
    // Another connection has its own allowance; a removal makes room.
    expect(hub.add('dave', { query: 'one more' }).ok).toBe(true);
    expect(hub.remove('bob', ids[0] as string)).toEqual({ removed: true });
    expect(hub.add('bob', { query: 'one more' }).ok).toBe(true);
    expect(hub.stats().watches).toBe(MAX_WATCHES_PER_PEER + 1);
  });

  it('removes only the asker’s own watches', async () => {
    const hub = hubWith();
    const id = watchId(hub.add('bob', { query: 'sunset' }));
    expect(hub.remove('mallory', id)).toEqual({ removed: false });
    expect(hub.remove('bob', 'w999')).toEqual({ removed: false });
    await registry.register('alice', [file(1, 'sunset.jpg')]);
    await settle();
    expect(delivered).toHaveLength(1);
    expect(hub.remove('bob', id)).toEqual({ removed: true });
    expect(hub.remove('bob', id)).toEqual({ removed: false });
    await registry.register('alice', [file(2, 'sunset 2.jpg')]);
    await settle();
    expect(delivered).toHaveLength(1);
  });

  it('forgets every watch of a peer that left, even with matches in flight', async () => {
    const hub = hubWith();
    watchId(hub.add('bob', { query: 'sunset' }));
    watchId(hub.add('bob', { fileId: fileId(9) }));
    await registry.register('alice', [file(1, 'sunset.jpg')]);
    hub.dropPeer('bob');
    await settle();
    expect(delivered).toEqual([]);
    expect(hub.stats()).toMatchObject({ watches: 0, distinct: 0 });
    // Nobody watches: nothing is even queued.
    await registry.register('alice', [file(2, 'sunset 2.jpg')]);
    expect(hub.stats().pending).toBe(0);
  });

  it('answers a file id watch at once when the file is findable, else when it comes', async () => {
    const hub = hubWith();
    await registry.register('alice', [file(1, 'here.bin')]);
    const now = watchId(hub.add('bob', { fileId: fileId(1) }));
    const later = watchId(hub.add('bob', { fileId: fileId(2) }));
    await settle();
    expect(delivered.map(({ match }) => [match.watchId, match.file.name])).toEqual([[now, 'here.bin']]);
    await registry.register('carol', [file(2, 'later.bin')]);
    await settle();
    expect(delivered.map(({ match }) => [match.watchId, match.file.name])).toEqual([
      [now, 'here.bin'],
      [later, 'later.bin'],
    ]);
  });

  it('matches one query with at most its burst of files, then its rate, for all its watchers at once', async () => {
    const hub = hubWith();
    watchId(hub.add('bob', { query: 'photo' }));
    watchId(hub.add('dave', { query: 'photo' }));
    const { burst, perSecond } = RATE_LIMITS.watchQueryMatches;
    const batch = Array.from({ length: burst + 30 }, (_, n) => file(n + 1, `photo ${n}.jpg`));
    await registerApart(batch);
    await settle();
    const of = (peer: string) => delivered.filter((d) => d.peer === peer).map((d) => d.match.file.id);
    expect(of('bob')).toHaveLength(burst);
    // Both watchers got the same files: the query was matched, or set aside, once for both.
    expect(of('dave')).toEqual(of('bob'));
    expect(hub.stats()).toMatchObject({ pushed: 2 * burst, throttled: 0, setAside: 1 });
    clock += 1000;
    await registerApart(Array.from({ length: 30 }, (_, n) => file(1000 + n, `photo late ${n}.jpg`)));
    await settle();
    expect(of('bob')).toHaveLength(burst + perSecond);
  });

  it('pushes a connection at most its burst, then its rate, over all its watches', async () => {
    const hub = hubWith();
    for (const query of ['photo', 'jpg', 'photo jpg']) watchId(hub.add('bob', { query }));
    const { burst, perSecond } = RATE_LIMITS.watchMatches;
    const perQuery = RATE_LIMITS.watchQueryMatches.burst;
    expect(3 * perQuery).toBeGreaterThan(burst);
    await registerApart(Array.from({ length: perQuery }, (_, n) => file(n + 1, `photo ${n}.jpg`)));
    await settle();
    expect(delivered).toHaveLength(burst);
    expect(hub.stats()).toMatchObject({ pushed: burst, throttled: 3 * perQuery - burst });
    clock += 1000;
    await registry.register('alice', [file(1000, 'photo late.jpg')]);
    await settle();
    expect(delivered).toHaveLength(burst + Math.min(3, perSecond));
  });

  it('gives a flooder of matching files its share of a query, and pushes another peer’s match all the same', async () => {
    const hub = hubWith();
    watchId(hub.add('bob', { query: 'photos' }));
    await registry.register(
      'mallory',
      Array.from({ length: 500 }, (_, n) => file(n + 1, `photos ${n}.jpg`)),
    );
    await registry.register('alice', [file(1000, 'photos of the harbour.jpg')]);
    await settle();
    const share = RATE_LIMITS.watchQueryMatchesPerRegistrant.burst;
    expect(delivered.map(({ match }) => match.file.name)).toEqual([
      ...Array.from({ length: share }, (_, n) => `photos ${n}.jpg`),
      'photos of the harbour.jpg',
    ]);
    expect(hub.stats()).toMatchObject({ overShare: 500 - share, setAside: 0 });
  });

  it('catches a watch with since up: the newest matches registered after it, oldest first, marked', async () => {
    let time = 1000;
    registry = new MemoryRegistry({ now: () => time });
    const hub = hubWith();
    for (let n = 1; n <= MAX_CATCH_UP_MATCHES + 5; n++) {
      time = 1000 + n;
      await registry.register(`peer${n}`, [file(n, `sunset ${n}.jpg`)]);
      await registry.register(`peer${n}`, [file(100 + n, `forest ${n}.jpg`)]);
    }
    time = 5000;
    const added = hub.add('bob', { query: 'sunset', since: 1002 });
    expect(added).toEqual({ ok: true, data: { watchId: 'w1', liveFrom: 5001 } });
    // Sent after the acknowledgement, not before.
    expect(delivered).toEqual([]);
    await settle();
    const newest = Array.from({ length: MAX_CATCH_UP_MATCHES }, (_, k) => MAX_CATCH_UP_MATCHES + 5 - k).reverse();
    expect(delivered.map(({ match }) => [match.file.name, match.firstSeen, match.catchUp])).toEqual(
      newest.map((n) => [`sunset ${n}.jpg`, 1000 + n, true]),
    );
    // Without since, or with a time to come, nothing is caught up; a match later is live, not catch-up.
    hub.add('dave', { query: 'sunset' });
    hub.add('erin', { query: 'sunset', since: 10_000 });
    await settle();
    expect(delivered).toHaveLength(MAX_CATCH_UP_MATCHES);
    await registry.register('alice', [file(999, 'sunset late.jpg')]);
    await settle();
    expect(delivered.slice(MAX_CATCH_UP_MATCHES).map(({ peer, match }) => [peer, match.catchUp])).toEqual([
      ['bob', undefined],
      ['dave', undefined],
      ['erin', undefined],
    ]);
    expect(hub.stats()).toMatchObject({ caughtUp: MAX_CATCH_UP_MATCHES, pushed: MAX_CATCH_UP_MATCHES + 3 });
  });

  it('catches up only a watch still there when the search answers', async () => {
    const hub = hubWith();
    await registry.register('alice', [file(1, 'sunset.jpg')]);
    const id = watchId(hub.add('bob', { query: 'sunset', since: 0 }));
    hub.remove('bob', id);
    await settle();
    expect(delivered).toEqual([]);
  });

  it('matches in slices, yielding to the event loop between them', async () => {
    const hub = hubWith({ sliceMs: 1, now: () => clock++ });
    watchId(hub.add('bob', { query: 'zzz' }));
    await registry.register(
      'alice',
      Array.from({ length: 10 }, (_, n) => file(n + 1, `photo ${n}.jpg`)),
    );
    // A file or two per slice with this clock (each reading moves it on): each turn leaves the rest.
    await new Promise((resolve) => setImmediate(resolve));
    expect(hub.stats().pending).toBeGreaterThanOrEqual(8);
    expect(hub.stats().pending).toBeLessThan(10);
    await settle();
    await settle();
    expect(hub.stats().pending).toBe(0);
  });

  it('works longer slices while other work keeps the loop busy, up to its longest', async () => {
    const hub = hubWith({ sliceMs: 1, maxSliceMs: 4, now: () => clock++ });
    watchId(hub.add('bob', { query: 'zzz' }));
    await registry.register(
      'alice',
      Array.from({ length: 20 }, (_, n) => file(n + 1, `photo ${n}.jpg`)),
    );
    // 100 ms of registrations since the last slice: this slice may take a tenth of that, capped at 4 ms.
    clock = 100;
    await new Promise((resolve) => setImmediate(resolve));
    expect(hub.stats().pending).toBe(16);
    // Then the loop is idle between slices: back to the shortest.
    await new Promise((resolve) => setImmediate(resolve));
    expect(hub.stats().pending).toBe(15);
  });

  it('sends matches in the same slices, one file’s watchers at a time at most per slice here', async () => {
    const hub = hubWith({ sliceMs: 1, now: () => clock++ });
    for (const peer of ['a', 'b', 'c']) watchId(hub.add(peer, { query: 'photo' }));
    await registerApart(Array.from({ length: 5 }, (_, n) => file(n + 1, `photo ${n}.jpg`)));
    const perTurn: number[] = [];
    for (let turn = 0; turn < 30 && delivered.length < 15; turn++) {
      const before = delivered.length;
      await new Promise((resolve) => setImmediate(resolve));
      perTurn.push(delivered.length - before);
    }
    expect(delivered).toHaveLength(15);
    expect(Math.max(...perTurn)).toBe(3);
    expect(hub.stats().pending).toBe(0);
  });

  it('matches a backlog as of when its files were named: late, but with the matches it would have had at once', async () => {
    const hub = hubWith();
    watchId(hub.add('bob', { query: 'photo' }));
    const { burst, perSecond } = RATE_LIMITS.watchQueryMatches;
    // A query's whole burst at 0 s, then one file a second for 5 s, all queued before any is matched.
    await registerApart(Array.from({ length: burst }, (_, n) => file(n + 1, `photo ${n}.jpg`)));
    for (let second = 1; second <= 5; second++) {
      clock = second * 1000;
      await registry.register(`late${second}`, [file(100 + second, `photo late ${second}.jpg`)]);
    }
    expect(hub.stats().pending).toBe(burst + 5);
    await settle();
    // Matched at 5 s, the last five would have found the allowance spent by the first ten.
    expect(delivered).toHaveLength(burst + 5 * perSecond);
  });

  it('drops what does not fit its queue, and says so', async () => {
    const hub = hubWith({ maxPending: 10 });
    watchId(hub.add('bob', { query: 'photo' }));
    await registerApart(Array.from({ length: 25 }, (_, n) => file(n + 1, `photo ${n}.jpg`)));
    await settle();
    expect(delivered).toHaveLength(10);
    expect(hub.stats()).toMatchObject({ overflowed: 15, pending: 0 });
  });

  it('sends a connection its matches of a slice in one push, a long list in pushes of at most the bound', async () => {
    const perPush = 3;
    const hub = hubWith({ maxMatchesPerPush: perPush });
    // Two connections, each with watches that together match more files than one push may carry.
    const queries = ['photo', 'jpg', 'photo jpg'];
    for (const peer of ['bob', 'dave']) for (const query of queries) watchId(hub.add(peer, { query }));
    const perQuery = RATE_LIMITS.watchQueryMatches.burst;
    const { burst } = RATE_LIMITS.watchMatches;
    await registerApart(Array.from({ length: perQuery }, (_, n) => file(n + 1, `photo ${n}.jpg`)));
    await settle();
    // Every match once, as many as the connection's push rate allows, none twice.
    for (const peer of ['bob', 'dave']) {
      const got = delivered.filter((d) => d.peer === peer).map(({ match }) => `${match.watchId}:${match.file.id}`);
      expect(got).toHaveLength(burst);
      expect(new Set(got).size).toBe(burst);
    }
    // The fewest pushes that bound allows: one per connection and slice, split where the list is longer.
    expect(pushes.every(({ matches }) => matches.length >= 1 && matches.length <= perPush)).toBe(true);
    expect(pushes.length).toBe(2 * Math.ceil(burst / perPush));
    expect(hub.stats()).toMatchObject({ pushed: 2 * burst, packets: pushes.length });
    // In the order they were made: file by file.
    const order = Array.from({ length: perQuery }, (_, n) => fileId(n + 1));
    const bobs = delivered.filter((d) => d.peer === 'bob').map(({ match }) => order.indexOf(match.file.id));
    expect(bobs).toEqual([...bobs].sort((a, b) => a - b));
  });

  it('sends a catch-up in one push (as many as the default bound), in order', async () => {
    let time = 1000;
    registry = new MemoryRegistry({ now: () => time });
    const hub = hubWith();
    for (let n = 1; n <= MAX_CATCH_UP_MATCHES; n++) {
      time = 1000 + n;
      await registry.register(`peer${n}`, [file(n, `sunset ${n}.jpg`)]);
    }
    time = 5000;
    watchId(hub.add('bob', { query: 'sunset', since: 0 }));
    await settle();
    expect(MAX_CATCH_UP_MATCHES).toBeLessThanOrEqual(MAX_MATCHES_PER_PUSH);
    expect(pushes.map(({ matches }) => matches.length)).toEqual([MAX_CATCH_UP_MATCHES]);
    expect(delivered.map(({ match }) => match.firstSeen)).toEqual(
      Array.from({ length: MAX_CATCH_UP_MATCHES }, (_, k) => 1001 + k),
    );
  });

  it('sends nothing to a connection that left between matching and pushing', async () => {
    const hub = hubWith({ sliceMs: 1, now: () => clock++ });
    watchId(hub.add('bob', { query: 'sunset' }));
    watchId(hub.add('dave', { query: 'sunset' }));
    await registry.register('alice', [file(1, 'sunset.jpg')]);
    // Matched in this turn; looked up after it; staged and sent in the next.
    await new Promise((resolve) => setImmediate(resolve));
    hub.dropPeer('bob');
    await settle();
    expect(pushes.map(({ peer }) => peer)).toEqual(['dave']);
    expect(hub.stats()).toMatchObject({ pushed: 1, packets: 1, pending: 0 });
  });

  it('pushes to every other connection when one connection’s push fails', async () => {
    const hub = hubWith({
      deliver: (peer, matches) => {
        if (peer === 'bob') throw new Error('socket gone');
        for (const match of matches) delivered.push({ peer, match });
      },
    });
    for (const peer of ['bob', 'dave', 'erin']) watchId(hub.add(peer, { query: 'sunset' }));
    await registry.register('alice', [file(1, 'sunset.jpg')]);
    await settle();
    expect(delivered.map(({ peer }) => peer).sort()).toEqual(['dave', 'erin']);
    expect(hub.stats().pending).toBe(0);
  });

  it('stops listening when closed', async () => {
    const hub = hubWith();
    watchId(hub.add('bob', { query: 'sunset' }));
    hub.close();
    await registry.register('alice', [file(1, 'sunset.jpg')]);
    await settle();
    expect(delivered).toEqual([]);
  });
});
