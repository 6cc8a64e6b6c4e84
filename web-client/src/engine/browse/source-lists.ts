import type { FileSource } from '@shoal/common';
import { createStore, type Store } from '../store.ts';
import type { TrackerClient } from '../tracker-client.ts';

/** The holders of one file, by name, as a search result shows them when opened. */
export interface SourcesView {
  status: 'loading' | 'ready' | 'failed';
  sources: FileSource[];
  error: string | null;
}

/**
 * The source lists opened under search results: loaded from the tracker (`files:sources`) when opened, dropped when
 * closed. Each names peers one can browse.
 */
export class SourceLists {
  private readonly state = createStore<Readonly<Record<string, SourcesView>>>({});
  readonly store: Store<Readonly<Record<string, SourcesView>>> = this.state;

  constructor(private readonly tracker: Pick<TrackerClient, 'request'>) {}

  /** Opens (and loads, or loads again) the sources of a file. */
  show(fileId: string): void {
    this.set(fileId, { status: 'loading', sources: [], error: null });
    void this.tracker.request('files:sources', { fileId }).then((result) => {
      if (this.state.getSnapshot()[fileId]?.status !== 'loading') return; // closed meanwhile
      this.set(
        fileId,
        result.ok
          ? { status: 'ready', sources: result.data.sources, error: null }
          : { status: 'failed', sources: [], error: result.error.message },
      );
    });
  }

  hide(fileId: string): void {
    this.state.update((lists) => {
      if (!(fileId in lists)) return lists;
      const rest = { ...lists };
      delete rest[fileId];
      return rest;
    });
  }

  private set(fileId: string, view: SourcesView): void {
    this.state.update((lists) => ({ ...lists, [fileId]: view }));
  }
}
