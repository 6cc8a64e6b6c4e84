import {
  DEFAULT_BROWSE_LIMIT,
  type BrowseEntry,
  type BrowseFileEntry,
  type BrowseFolder,
  type BrowseFolderEntry,
} from '@shoal/common';
import { createStore, type Store } from '../store.ts';
import type { RequestError, TrackerClient } from '../tracker-client.ts';

/** The shared folder a browsed folder belongs to: what downloading any part of it needs. */
export interface SharedFolderRef {
  /** Its listing's content id and byte size. */
  id: string;
  size: number;
  /** Its name, as the browsed peer lists it. */
  name: string;
}

/** One step of the path shown above the entries: the top level, a shared folder, a folder inside it. */
export interface BrowseCrumb {
  label: string;
  /** Where it is: null for the top level. */
  folder: BrowseFolder | null;
  /** The shared folder it is in (null at the top level). */
  shared: SharedFolderRef | null;
}

/** What the browse view shows: one peer's shares, one folder level at a time. */
export interface BrowseView {
  peerId: string;
  /** The name it goes by (as the list it was picked from showed it); null without one. */
  peerName: string | null;
  /** From the top level to the folder shown. */
  crumbs: BrowseCrumb[];
  /** Entries loaded so far (pages are added by {@link PeerBrowser.more}). */
  entries: BrowseEntry[];
  /** Entries in the folder level in all. */
  total: number;
  status: 'loading' | 'ready' | 'failed';
  /** Set while a further page loads. */
  loadingMore: boolean;
  error: string | null;
}

export interface PeerBrowserDeps {
  tracker: Pick<TrackerClient, 'request'>;
  /** Downloads a browsed file (by content id, like a search result). */
  downloadFile(entry: BrowseFileEntry): void;
  /** Downloads a shared folder, all of it (path '') or the folder at `path` in it. */
  downloadFolder(shared: SharedFolderRef, path: string): void;
  /** Entries per page (default the protocol's). */
  pageSize?: number;
}

/** What an error of a browse request means to a person. */
function describeError(error: RequestError, who: string): string {
  switch (error.code) {
    case 'PEER_NOT_FOUND':
      return `${who} is not connected any more.`;
    case 'PEER_TIMEOUT':
      return `${who} did not answer in time. Try again in a moment.`;
    case 'BAD_PEER_ANSWER':
      return `${who} answered with something that is not a valid list of files.`;
    case 'NOT_FOUND':
      return `${who} does not share this folder any more.`;
    case 'RATE_LIMITED':
      return 'Too many requests at once. Try again in a moment.';
    default:
      return `Could not browse ${who}: ${error.message}`;
  }
}

/** The path of `name` inside the folder at `path`. */
const join = (path: string, name: string) => (path === '' ? name : `${path}/${name}`);

/**
 * Browsing another peer's shares: asks the tracker for one folder level at a time (which asks that peer), a page at
 * a time, and keeps what the browse view shows. Answers to anything but the latest request are dropped, so clicking
 * around quickly never shows a stale folder. Downloads of what is shown go through the page's usual downloads.
 */
export class PeerBrowser {
  private readonly state = createStore<BrowseView | null>(null);
  readonly store: Store<BrowseView | null> = this.state;
  private seq = 0;

  constructor(private readonly deps: PeerBrowserDeps) {}

  /** Opens the top level of a peer's shares. */
  open(peerId: string, peerName: string | null): void {
    const crumbs: BrowseCrumb[] = [{ label: 'All shared', folder: null, shared: null }];
    this.state.update(() => ({ ...emptyLevel(crumbs), peerId, peerName }));
    void this.load(0);
  }

  /** Opens a folder listed in the folder shown. */
  openFolder(entry: BrowseFolderEntry): void {
    const view = this.state.getSnapshot();
    const here = view?.crumbs.at(-1);
    if (!view || !here) return;
    let crumb: BrowseCrumb;
    if (here.folder && here.shared) {
      crumb = {
        label: entry.name,
        folder: { ...here.folder, path: join(here.folder.path, entry.name) },
        shared: here.shared,
      };
    } else if (entry.listing) {
      const shared = { id: entry.listing.id, size: entry.listing.size, name: entry.name };
      crumb = { label: entry.name, folder: { listingId: shared.id, path: '' }, shared };
    } else {
      return; // a top-level folder always names its listing (the tracker checked)
    }
    this.state.update(() => ({ ...view, ...emptyLevel([...view.crumbs, crumb]) }));
    void this.load(0);
  }

  /** Goes back to the folder of crumb `index`. */
  goTo(index: number): void {
    const view = this.state.getSnapshot();
    if (!view || index < 0 || index >= view.crumbs.length) return;
    this.state.update(() => ({ ...view, ...emptyLevel(view.crumbs.slice(0, index + 1)) }));
    void this.load(0);
  }

  /** Loads the next page of the folder shown. */
  more(): void {
    const view = this.state.getSnapshot();
    if (!view || view.status !== 'ready' || view.loadingMore || view.entries.length >= view.total) return;
    this.state.update(() => ({ ...view, loadingMore: true }));
    void this.load(view.entries.length);
  }

  /** Tries the folder shown again (after an error). */
  retry(): void {
    const view = this.state.getSnapshot();
    if (view) this.goTo(view.crumbs.length - 1);
  }

  close(): void {
    this.seq++;
    this.state.update(() => null);
  }

  /** Downloads a file or folder shown: a folder with everything in it, at any depth. */
  download(entry: BrowseEntry): void {
    const here = this.state.getSnapshot()?.crumbs.at(-1);
    if (!here) return;
    if (entry.kind === 'file') {
      this.deps.downloadFile(entry);
    } else if (here.folder && here.shared) {
      this.deps.downloadFolder(here.shared, join(here.folder.path, entry.name));
    } else if (entry.listing) {
      this.deps.downloadFolder({ id: entry.listing.id, size: entry.listing.size, name: entry.name }, '');
    }
  }

  private async load(offset: number): Promise<void> {
    const view = this.state.getSnapshot();
    const here = view?.crumbs.at(-1);
    if (!view || !here) return;
    const seq = ++this.seq;
    const limit = this.deps.pageSize ?? DEFAULT_BROWSE_LIMIT;
    const request = here.folder
      ? { peerId: view.peerId, folder: here.folder, offset, limit }
      : { peerId: view.peerId, offset, limit };
    const result = await this.deps.tracker.request('peers:browse', request);
    if (seq !== this.seq) return;
    this.state.update((current) => {
      if (!current) return current;
      if (!result.ok) {
        const error = describeError(result.error, current.peerName ?? 'This peer');
        // A failed further page keeps what is shown; a failed folder shows why.
        return offset > 0 ? { ...current, loadingMore: false, error } : { ...current, status: 'failed', error };
      }
      const entries = offset > 0 ? [...current.entries, ...result.data.entries] : result.data.entries;
      return { ...current, entries, total: result.data.total, status: 'ready', loadingMore: false, error: null };
    });
  }
}

function emptyLevel(crumbs: BrowseCrumb[]): Omit<BrowseView, 'peerId' | 'peerName'> {
  return { crumbs, entries: [], total: 0, status: 'loading', loadingMore: false, error: null };
}
