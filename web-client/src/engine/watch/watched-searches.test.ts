import { describe, expect, it } from 'vitest';
import { WATCH_NEEDS_A_WORD, type SearchResult } from '@shoal/common';
import { initialEngineState, type EngineState } from '../engine-state.ts';
import { createStore } from '../store.ts';
import type { RequestResult } from '../tracker-client.ts';
import { MAX_WATCHED_SEARCHES, WatchedSearches } from './watched-searches.ts';
import { MAX_KEPT_MATCHES, WATCHES_STORAGE_KEY, type KeyValueStore } from './watch-storage.ts';

/** A tracker connection that answers watches the way the tracker does, and records what it was asked. */
class ScriptedTracker {
  online = true;
  next = 1;
  /** What the tracker says its watches are live from (its clock). */
  liveFrom = 1000;
  readonly asked: [string, unknown][] = [];
  /** Answers held back until released, to play requests that cross a reconnection. */
  hold = false;
  private readonly held: (() => void)[] = [];

  request = async (event: string, payload: unknown): Promise<RequestResult<never>> => {
    this.asked.push([event, payload]);
    if (!this.online) return { ok: false, error: { code: 'OFFLINE', message: 'offline' } };
    if (this.hold) await new Promise<void>((resolve) => this.held.push(resolve));
    if (event === 'watch:add') {
      return { ok: true, data: { watchId: `w${this.next++}`, liveFrom: this.liveFrom } as never };
    }
    return { ok: true, data: { removed: true } as never };
  };

  release(): void {
    for (const resolve of this.held.splice(0)) resolve();
  }
}

class MapStore implements KeyValueStore {
  readonly items = new Map<string, string>();
  getItem = (key: string): string | null => this.items.get(key) ?? null;
  setItem = (key: string, value: string): void => void this.items.set(key, value);
}

const file = (n: number, name = `sunset ${n}.jpg`): SearchResult => ({
  id: n.toString(16).padStart(64, '0'),
  name,
  names: [],
  nameCount: 1,
  size: 100 + n,
  mimeType: 'image/jpeg',
  holders: 1,
  partialHolders: 0,
  availability: 1,
});
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function setUp(store: KeyValueStore | null = new MapStore(), tracker = new ScriptedTracker()) {
  const state = createStore<EngineState>(initialEngineState);
  const notified: string[] = [];
  const downloaded: string[] = [];
  const held = new Set<string>();
  const watched = new WatchedSearches({
    state,
    tracker,
    store,
    notify: (title, body) => notified.push(`${title}: ${body}`),
    download: (result) => downloaded.push(result.name),
    holds: (fileId) => held.has(fileId),
  });
  const searches = () => state.getSnapshot().watched.searches;
  return { state, tracker, watched, notified, downloaded, searches, held };
}

describe('WatchedSearches', () => {
  it('watches a query, shows each new match once, newest first, and notifies', async () => {
    const { watched, tracker, searches, notified, downloaded } = setUp();
    expect(watched.add('  sunset  ')).toBeNull();
    await settle();
    expect(tracker.asked).toEqual([['watch:add', { query: 'sunset' }]]);
    expect(searches()).toMatchObject([{ query: 'sunset', status: 'watching', matches: [] }]);
    watched.onMatch({ watchId: 'w1', file: file(1), firstSeen: 1 });
    watched.onMatch({ watchId: 'w1', file: file(2), firstSeen: 1 });
    watched.onMatch({ watchId: 'w1', file: file(1), firstSeen: 1 });
    watched.onMatch({ watchId: 'w9', file: file(3), firstSeen: 1 });
    expect(searches()[0]?.matches.map((match) => match.name)).toEqual(['sunset 2.jpg', 'sunset 1.jpg']);
    expect(notified).toEqual([
      'New match for “sunset”: sunset 1.jpg is shared now',
      'New match for “sunset”: sunset 2.jpg is shared now',
    ]);
    expect(downloaded).toEqual([]);
  });

  it('downloads the first match by itself, once, when asked to', async () => {
    const { watched, searches, downloaded, notified } = setUp();
    watched.add('sunset', true);
    await settle();
    watched.onMatch({ watchId: 'w1', file: file(1), firstSeen: 1 });
    watched.onMatch({ watchId: 'w1', file: file(2), firstSeen: 1 });
    expect(downloaded).toEqual(['sunset 1.jpg']);
    expect(searches()[0]?.autoDownloaded).toBe(file(1).id);
    expect(notified[0]).toMatch(/sunset 1\.jpg — downloading it now/);
    // Turned on later: the next match is downloaded, and only that one.
    watched.add('harbour');
    await settle();
    const key = searches()[1]?.key as string;
    watched.onMatch({ watchId: 'w2', file: file(3, 'harbour.jpg'), firstSeen: 1 });
    watched.setDownloadWhenFound(key, true);
    watched.onMatch({ watchId: 'w2', file: file(4, 'harbour 2.jpg'), firstSeen: 1 });
    watched.onMatch({ watchId: 'w2', file: file(5, 'harbour 3.jpg'), firstSeen: 1 });
    expect(downloaded).toEqual(['sunset 1.jpg', 'harbour 2.jpg']);
  });

  it('says why it does not watch: a wrong query, no word, the same query, too many', async () => {
    const { watched, state, searches } = setUp();
    expect(watched.add('cats type:movie')).toMatch(/Unknown type "movie"/);
    expect(watched.add('-draft type:video')).toBe(WATCH_NEEDS_A_WORD);
    expect(state.getSnapshot().watched.notice).toBe(WATCH_NEEDS_A_WORD);
    for (let n = 0; n < MAX_WATCHED_SEARCHES; n++) expect(watched.add(`topic${n}`)).toBeNull();
    expect(state.getSnapshot().watched.notice).toBeNull();
    expect(watched.add('topic0')).toBe('“topic0” is watched already.');
    expect(watched.add('one more')).toMatch(/At most 19 searches/);
    expect(searches()).toHaveLength(MAX_WATCHED_SEARCHES);
  });

  it('keeps watches and their matches across a reload, bounded, and gives them to the tracker again', async () => {
    const store = new MapStore();
    const first = setUp(store);
    first.watched.add('sunset', true);
    await settle();
    for (let n = 1; n <= MAX_KEPT_MATCHES + 5; n++)
      first.watched.onMatch({ watchId: 'w1', file: file(n), firstSeen: 1 });
    const reloaded = setUp(store);
    expect(reloaded.searches()).toMatchObject([
      { query: 'sunset', downloadWhenFound: true, status: 'pending', autoDownloaded: file(1).id },
    ]);
    expect(reloaded.searches()[0]?.matches).toHaveLength(MAX_KEPT_MATCHES);
    expect(reloaded.searches()[0]?.matches[0]?.name).toBe(`sunset ${MAX_KEPT_MATCHES + 5}.jpg`);
    reloaded.watched.trackerOnline();
    await settle();
    expect(reloaded.tracker.asked).toEqual([['watch:add', { query: 'sunset', since: 1000 }]]);
    expect(reloaded.searches()[0]?.status).toBe('watching');
    // Already downloaded one: no second download after the reload.
    reloaded.watched.onMatch({ watchId: 'w1', file: file(99), firstSeen: 1 });
    expect(reloaded.downloaded).toEqual([]);
  });

  it('ignores stored watches that do not parse', () => {
    const store = new MapStore();
    store.setItem(
      WATCHES_STORAGE_KEY,
      JSON.stringify([
        { key: 'watch-1', query: 'ok', downloadWhenFound: false, matches: [], autoDownloaded: null },
        { key: 'watch-2', query: '', downloadWhenFound: false, matches: [], autoDownloaded: null },
        { key: 'watch-3', query: 'x', downloadWhenFound: 'yes', matches: [], autoDownloaded: null },
        { key: 'watch-4', query: 'y', downloadWhenFound: false, matches: [{ id: 'nope' }], autoDownloaded: null },
        'junk',
      ]),
    );
    expect(
      setUp(store)
        .searches()
        .map((watch) => watch.query),
    ).toEqual(['ok']);
    store.setItem(WATCHES_STORAGE_KEY, '{not json');
    expect(setUp(store).searches()).toEqual([]);
  });

  it('gives every watch again on a new connection, with the new ids, and ignores the old ones', async () => {
    const { watched, tracker, searches } = setUp();
    watched.add('sunset');
    watched.add('harbour');
    await settle();
    watched.trackerOnline();
    await settle();
    expect(tracker.asked.filter(([event]) => event === 'watch:add')).toHaveLength(4);
    watched.onMatch({ watchId: 'w1', file: file(1), firstSeen: 1 });
    expect(searches()[0]?.matches).toEqual([]);
    watched.onMatch({ watchId: 'w3', file: file(2), firstSeen: 1 });
    expect(searches()[0]?.matches.map((match) => match.id)).toEqual([file(2).id]);
  });

  it('waits for a connection while offline, and drops a watch removed while it was being added', async () => {
    const tracker = new ScriptedTracker();
    tracker.online = false;
    const { watched, searches } = setUp(new MapStore(), tracker);
    watched.add('sunset');
    await settle();
    expect(searches()[0]?.status).toBe('pending');
    tracker.online = true;
    tracker.hold = true;
    watched.trackerOnline();
    watched.remove(searches()[0]?.key as string);
    tracker.release();
    await settle();
    await settle();
    expect(tracker.asked.slice(-2)).toEqual([
      ['watch:add', { query: 'sunset' }],
      ['watch:remove', { watchId: 'w1' }],
    ]);
    expect(searches()).toEqual([]);
  });

  it('passes over files the page shares itself', async () => {
    const { watched, searches, downloaded, notified, held } = setUp();
    watched.add('sunset', true);
    await settle();
    held.add(file(1).id);
    watched.onMatch({ watchId: 'w1', file: file(1), firstSeen: 1 });
    expect([searches()[0]?.matches, downloaded, notified]).toEqual([[], [], []]);
    watched.onMatch({ watchId: 'w1', file: file(2), firstSeen: 1 });
    expect(downloaded).toEqual(['sunset 2.jpg']);
  });

  it('remembers where to catch up from, across a reload, and gives it with the watch again', async () => {
    const store = new MapStore();
    const first = setUp(store);
    first.watched.add('sunset');
    await settle();
    expect(first.tracker.asked).toEqual([['watch:add', { query: 'sunset' }]]);
    // Nothing seen yet: from when the watch went live.
    expect(first.searches()[0]?.since).toBe(1000);
    first.watched.onMatch({ watchId: 'w1', file: file(1), firstSeen: 1500 });
    // A new name of an older file, and a file shown already or shared by the page itself: seen all the same.
    first.watched.onMatch({ watchId: 'w1', file: file(2), firstSeen: 1200 });
    expect(first.searches()[0]?.since).toBe(1500);
    first.watched.onMatch({ watchId: 'w1', file: file(1), firstSeen: 1600 });
    first.held.add(file(3).id);
    first.watched.onMatch({ watchId: 'w1', file: file(3), firstSeen: 1700 });
    expect(first.searches()[0]?.since).toBe(1700);

    const reloaded = setUp(store);
    expect(reloaded.searches()[0]?.since).toBe(1700);
    reloaded.tracker.liveFrom = 2000;
    reloaded.watched.trackerOnline();
    await settle();
    expect(reloaded.tracker.asked).toEqual([['watch:add', { query: 'sunset', since: 1700 }]]);
    expect(reloaded.searches()[0]?.since).toBe(1700);
    // A tracker whose clock is behind (another tracker's, a hand edit): brought back to it, or it would hide news.
    reloaded.tracker.liveFrom = 1300;
    reloaded.watched.trackerOnline();
    await settle();
    expect(reloaded.searches()[0]?.since).toBe(1300);
  });

  it('shows what was caught up like any match, notifies once per watch and connection, downloads the first', async () => {
    const { watched, searches, notified, downloaded } = setUp();
    watched.add('sunset', true);
    watched.add('harbour');
    await settle();
    for (const n of [1, 2, 3]) watched.onMatch({ watchId: 'w1', file: file(n), firstSeen: 1000 + n, catchUp: true });
    watched.onMatch({ watchId: 'w2', file: file(4, 'harbour.jpg'), firstSeen: 1004, catchUp: true });
    watched.onMatch({ watchId: 'w2', file: file(5, 'harbour 2.jpg'), firstSeen: 1005, catchUp: true });
    expect(searches().map((watch) => watch.matches.map((match) => match.name))).toEqual([
      ['sunset 3.jpg', 'sunset 2.jpg', 'sunset 1.jpg'],
      ['harbour 2.jpg', 'harbour.jpg'],
    ]);
    expect(downloaded).toEqual(['sunset 1.jpg']);
    expect(notified).toEqual([
      'New match for “sunset” while you were away: sunset 1.jpg — downloading it now',
      'New match for “harbour” while you were away: harbour.jpg is shared now',
    ]);
    // A live match is told as ever; the next connection's catch-up is told again, once.
    watched.onMatch({ watchId: 'w2', file: file(6, 'harbour 3.jpg'), firstSeen: 1006 });
    watched.trackerOnline();
    await settle();
    watched.onMatch({ watchId: 'w4', file: file(7, 'harbour 4.jpg'), firstSeen: 1007, catchUp: true });
    watched.onMatch({ watchId: 'w4', file: file(8, 'harbour 5.jpg'), firstSeen: 1008, catchUp: true });
    expect(notified.slice(2)).toEqual([
      'New match for “harbour”: harbour 3.jpg is shared now',
      'New match for “harbour” while you were away: harbour 4.jpg is shared now',
    ]);
  });

  it('works without storage', async () => {
    const { watched, searches } = setUp(null);
    watched.add('sunset');
    await settle();
    expect(searches()).toHaveLength(1);
  });
});
