import type { SearchResult, WatchMatch } from '@shoal/common';
import type { EngineState, LinkView } from '../engine-state.ts';
import type { ShareLink } from '../links.ts';
import type { WritableStore } from '../store.ts';
import type { TrackerClient } from '../tracker-client.ts';

export interface LinkFollowerDeps {
  /** The engine's state: this keeps its `link`. */
  state: WritableStore<EngineState>;
  tracker: Pick<TrackerClient, 'request' | 'online'>;
  /** Starts a download through the normal path (a search result's). */
  download(file: SearchResult): void;
}

/**
 * The share link the page was opened with: asks the tracker for the file by its content id (`files:lookup`) and
 * shows what it says; when nobody holds it, waits for it with a watch on that id and then downloads it by itself.
 * Asked again on every (re)connection, since watches go with a connection.
 */
export class LinkFollower {
  private readonly state: WritableStore<EngineState>;
  /** The tracker's id of the wait for the linked file, on the current connection. */
  private watchId: string | null = null;
  /** Bumped for every new link and connection: answers meant for an older one are ignored. */
  private generation = 0;

  constructor(private readonly deps: LinkFollowerDeps) {
    this.state = deps.state;
  }

  /** Opens a link (or, with `null`, closes the one open). The same link again changes nothing. */
  open(link: ShareLink | null): void {
    const current = this.view();
    if (link && current?.fileId === link.fileId) return;
    this.stopWaiting();
    this.generation++;
    if (!link) {
      this.set(null);
      return;
    }
    this.set({
      fileId: link.fileId,
      isFolder: link.isFolder,
      hintName: link.name,
      hintSize: link.size,
      status: 'looking',
      file: null,
      error: null,
    });
    void this.lookUp();
  }

  /** The person clicked Download. */
  download(): void {
    const view = this.view();
    if (!view?.file || view.status === 'started') return;
    this.stopWaiting();
    // A lookup or wait still on its way is of no use now (a wait it sets up is dropped).
    this.generation++;
    this.change({ status: 'started' });
    this.deps.download(view.file);
  }

  /** A new connection: the tracker knows nothing of the wait, so ask again. */
  trackerOnline(): void {
    this.watchId = null;
    this.generation++;
    const view = this.view();
    if (view && view.status !== 'started') void this.lookUp();
  }

  /**
   * A pushed match: while waiting, any match of the linked content (the wait's own, which may come before the
   * answer that names it when the file appeared meanwhile) means it has a holder now, and it starts by itself.
   */
  onMatch({ file }: WatchMatch): void {
    const view = this.view();
    if (view?.status !== 'waiting' || file.id !== view.fileId) return;
    this.change({ status: 'found', file });
    this.download();
  }

  private async lookUp(): Promise<void> {
    if (!this.deps.tracker.online) return; // asked on the next connection
    const generation = this.generation;
    const view = this.view() as LinkView;
    const answer = await this.deps.tracker.request('files:lookup', { fileId: view.fileId });
    if (generation !== this.generation) return;
    if (!answer.ok) {
      if (answer.error.code !== 'OFFLINE') this.change({ status: 'failed', error: answer.error.message });
      return;
    }
    if (answer.data.file) {
      this.change({ status: 'found', file: answer.data.file, error: null });
      return;
    }
    this.change({ status: 'waiting', file: null, error: null });
    const watch = await this.deps.tracker.request('watch:add', { fileId: view.fileId });
    if (generation !== this.generation) {
      if (watch.ok) void this.deps.tracker.request('watch:remove', { watchId: watch.data.watchId });
      return;
    }
    if (watch.ok) this.watchId = watch.data.watchId;
    else if (watch.error.code !== 'OFFLINE') this.change({ status: 'failed', error: watch.error.message });
  }

  /** Drops the wait on the tracker, if there is one. */
  private stopWaiting(): void {
    if (this.watchId === null) return;
    void this.deps.tracker.request('watch:remove', { watchId: this.watchId });
    this.watchId = null;
  }

  private view(): LinkView | null {
    return this.state.getSnapshot().link;
  }

  private set(link: LinkView | null): void {
    this.state.update((s) => ({ ...s, link }));
  }

  private change(change: Partial<LinkView>): void {
    this.state.update((s) => (s.link ? { ...s, link: { ...s.link, ...change } } : s));
  }
}
