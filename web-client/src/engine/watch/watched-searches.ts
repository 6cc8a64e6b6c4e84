import { MAX_WATCHES_PER_PEER, parseWatchQuery, type SearchResult, type WatchMatch } from '@shoal/common';
import type { EngineState, WatchedSearchView } from '../engine-state.ts';
import type { WritableStore } from '../store.ts';
import type { TrackerClient } from '../tracker-client.ts';
import { MAX_KEPT_MATCHES, loadWatches, saveWatches, type KeyValueStore, type StoredWatch } from './watch-storage.ts';

/** Watched searches a page keeps: one watch of the tracker's allowance stays free for a share link's wait. */
export const MAX_WATCHED_SEARCHES = MAX_WATCHES_PER_PEER - 1;

export interface WatchedSearchesDeps {
  /** The engine's state: this keeps its `watched`. */
  state: WritableStore<EngineState>;
  tracker: Pick<TrackerClient, 'request' | 'online'>;
  /** Where watches are kept across reloads (`localStorage`; none in tests that do not care). */
  store: KeyValueStore | null;
  /** Tells the person of a new match (a browser notification, where allowed). */
  notify(title: string, body: string): void;
  /** Starts a download through the normal path (a search result's). */
  download(file: SearchResult): void;
  /** Whether this page shares the file already (its own shares are no news to it). */
  holds(fileId: string): boolean;
}

let nextKey = 1;

/**
 * The page's watched searches: kept in the browser across reloads, given to the tracker on every (re)connection
 * (watches belong to a connection, and a failover is a new one), and shown with the matches the tracker pushes. A
 * watch with "download when found" downloads its first match by itself, once.
 *
 * Each watch keeps a `since` on the tracker's clock (the newest match seen, or when it went live) and gives it again
 * with the watch, so the tracker also sends what was registered while the page was closed, offline or failing over:
 * shown like any match, downloaded by "download when found" like any, with one notification per watch and connection.
 */
export class WatchedSearches {
  private readonly state: WritableStore<EngineState>;
  /** The tracker's watch id of each watch on the current connection, and back. */
  private readonly byWatchId = new Map<string, string>();
  private readonly watchIdOf = new Map<string, string>();
  /** Bumped on every connection: answers to requests of an older one are ignored. */
  private session = 0;
  /** Watches (keys) told of a catch-up match on this connection: the rest of its catch-up is shown, not notified. */
  private readonly notifiedCatchUp = new Set<string>();

  constructor(private readonly deps: WatchedSearchesDeps) {
    this.state = deps.state;
    const kept = loadWatches(deps.store, MAX_WATCHED_SEARCHES).map((watch): WatchedSearchView => ({
      ...watch,
      status: 'pending',
      error: null,
    }));
    for (const watch of kept) nextKey = Math.max(nextKey, Number(watch.key.replace(/^watch-/, '')) + 1 || nextKey);
    this.update(() => kept);
  }

  /**
   * Watches a query (the search box's syntax). Answers why not, when it does nothing: a wrong query, or too many
   * watches. The same query twice is one watch.
   */
  add(query: string, downloadWhenFound = false): string | null {
    const text = query.trim();
    const parsed = parseWatchQuery(text);
    const refuse = (notice: string): string => {
      this.state.update((s) => ({ ...s, watched: { ...s.watched, notice } }));
      return notice;
    };
    if (!parsed.ok) return refuse(parsed.hint);
    const searches = this.searches();
    if (searches.some((watch) => watch.query === text)) return refuse(`“${text}” is watched already.`);
    if (searches.length >= MAX_WATCHED_SEARCHES) {
      return refuse(`At most ${MAX_WATCHED_SEARCHES} searches can be watched: remove one first.`);
    }
    const watch: WatchedSearchView = {
      key: `watch-${nextKey++}`,
      query: text,
      downloadWhenFound,
      status: 'pending',
      error: null,
      matches: [],
      autoDownloaded: null,
      since: null,
    };
    this.update((list) => [...list, watch]);
    this.state.update((s) => ({ ...s, watched: { ...s.watched, notice: null } }));
    void this.send(watch);
    return null;
  }

  /** Stops watching. */
  remove(key: string): void {
    this.update((list) => list.filter((watch) => watch.key !== key));
    const watchId = this.watchIdOf.get(key);
    if (watchId === undefined) return;
    this.forget(key);
    void this.deps.tracker.request('watch:remove', { watchId });
  }

  /** Turns "download when found" on or off. */
  setDownloadWhenFound(key: string, downloadWhenFound: boolean): void {
    this.change(key, { downloadWhenFound });
  }

  /** Clears the notice of the last refused watch. */
  dismissNotice(): void {
    this.state.update((s) => ({ ...s, watched: { ...s.watched, notice: null } }));
  }

  /** A new connection: the tracker knows none of the watches, so every one is given again. */
  trackerOnline(): void {
    this.session++;
    this.byWatchId.clear();
    this.watchIdOf.clear();
    this.notifiedCatchUp.clear();
    this.update((list) => list.map((watch) => ({ ...watch, status: 'pending', error: null })));
    for (const watch of this.searches()) void this.send(watch);
  }

  /**
   * A match the tracker pushed: shown (once per file), notified, and downloaded if the watch asks for it. A catch-up
   * match (registered while the page was away) is notified only as the first of its watch on this connection, or
   * when it is the one downloaded by itself.
   */
  onMatch({ watchId, file, firstSeen, catchUp }: WatchMatch): void {
    const key = this.byWatchId.get(watchId);
    const watch = key === undefined ? undefined : this.searches().find((item) => item.key === key);
    if (!watch) return;
    // Seen, whether or not it is news: the next catch-up starts there.
    const since = Math.max(watch.since ?? firstSeen, firstSeen);
    if (watch.matches.some((match) => match.id === file.id) || this.deps.holds(file.id)) {
      if (since !== watch.since) this.change(watch.key, { since });
      return;
    }
    const autoDownload = watch.downloadWhenFound && watch.autoDownloaded === null;
    this.change(watch.key, {
      since,
      matches: [file, ...watch.matches].slice(0, MAX_KEPT_MATCHES),
      ...(autoDownload && { autoDownloaded: file.id }),
    });
    const firstCatchUp = catchUp === true && !this.notifiedCatchUp.has(watch.key);
    if (catchUp !== true || firstCatchUp || autoDownload) {
      this.notifiedCatchUp.add(watch.key);
      this.deps.notify(
        catchUp ? `New match for “${watch.query}” while you were away` : `New match for “${watch.query}”`,
        autoDownload ? `${file.name} — downloading it now` : `${file.name} is shared now`,
      );
    }
    if (autoDownload) this.deps.download(file);
  }

  private async send(watch: WatchedSearchView): Promise<void> {
    if (!this.deps.tracker.online) return; // the next connection sends it
    const session = this.session;
    const from = this.searches().find((item) => item.key === watch.key)?.since ?? null;
    const answer = await this.deps.tracker.request('watch:add', {
      query: watch.query,
      ...(from !== null && { since: from }),
    });
    if (session !== this.session) return; // a newer connection sent it again
    const current = this.searches().find((item) => item.key === watch.key);
    if (!answer.ok) {
      if (answer.error.code === 'OFFLINE' || answer.error.code === 'TIMEOUT') {
        this.change(watch.key, { status: 'pending', error: null }); // given again on the next connection
      } else {
        this.change(watch.key, { status: 'refused', error: answer.error.message });
      }
      return;
    }
    const { watchId, liveFrom } = answer.data;
    if (!current) {
      void this.deps.tracker.request('watch:remove', { watchId }); // removed meanwhile
      return;
    }
    this.byWatchId.set(watchId, watch.key);
    this.watchIdOf.set(watch.key, watchId);
    // Live from now on; a since the tracker's clock has not reached (another tracker's clock, a hand edit) is brought
    // back to it, or it would hide what comes until then.
    const since = current.since === null ? liveFrom : Math.min(current.since, liveFrom);
    this.change(watch.key, { status: 'watching', error: null, since });
  }

  private forget(key: string): void {
    const watchId = this.watchIdOf.get(key);
    this.watchIdOf.delete(key);
    if (watchId !== undefined) this.byWatchId.delete(watchId);
  }

  private searches(): WatchedSearchView[] {
    return this.state.getSnapshot().watched.searches;
  }

  private change(key: string, change: Partial<WatchedSearchView>): void {
    this.update((list) => list.map((watch) => (watch.key === key ? { ...watch, ...change } : watch)));
  }

  /** Changes the list and keeps what is worth keeping of it. */
  private update(change: (list: WatchedSearchView[]) => WatchedSearchView[]): void {
    this.state.update((s) => ({ ...s, watched: { ...s.watched, searches: change(s.watched.searches) } }));
    const kept: StoredWatch[] = this.searches().map(
      ({ key, query, downloadWhenFound, matches, autoDownloaded, since }) => ({
        key,
        query,
        downloadWhenFound,
        matches,
        autoDownloaded,
        since,
      }),
    );
    saveWatches(this.deps.store, kept);
  }
}
