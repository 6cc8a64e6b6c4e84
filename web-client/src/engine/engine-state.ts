import type { SearchResult, SearchSort } from '@shoal/common';
import type { UploadsView } from './share/upload-limits.ts';
import { DEFAULT_UPLOAD_SLOTS } from './share/upload-slots.ts';
import type { TrackerStatus } from './tracker-client.ts';
import type { DownloadSnapshot } from './transfer/download-types.ts';

/** A file the user added, from hashing to shared. */
export interface ShareView {
  /** Local key, stable from the moment the file is added. */
  key: string;
  name: string;
  size: number;
  /** `needs-access`: shared from disk before a reload; the browser needs the user to give the file again. */
  status: 'hashing' | 'shared' | 'failed' | 'needs-access';
  hashedBytes: number;
  /** File id once hashed. */
  id: string | null;
  /** Whether the tracker has acknowledged the registration (false while offline). */
  registered: boolean;
  error: string | null;
  /** For `needs-access`: one click can re-grant access (the browser kept a handle), instead of picking again. */
  canRegrant: boolean;
  /** A shared folder (one row for the folder; its files are shared with it). */
  isFolder: boolean;
}

export interface SearchView {
  /** The query sent: what was typed, with the filter controls' terms. */
  query: string;
  sort: SearchSort;
  /** `invalid`: a filter is wrong (see `hint`); nothing was found. */
  status: 'idle' | 'searching' | 'done' | 'failed' | 'invalid';
  /** The results so far, in order: the first page, then each page "more results" appended. */
  results: SearchResult[];
  total: number;
  error: string | null;
  /** What is wrong with the query, for the person who typed it. */
  hint: string | null;
  /** The next page is on its way. */
  loadingMore: boolean;
}

export interface TransferView extends DownloadSnapshot {
  key: string;
  fileId: string;
  name: string;
  /** A folder download: one row for the folder's listing and all its files. */
  isFolder: boolean;
}

/** One watched search: its query, what it found, and whether it downloads by itself. */
export interface WatchedSearchView {
  key: string;
  query: string;
  /** Download the first match by itself (once). */
  downloadWhenFound: boolean;
  /** `pending`: not (yet) accepted by the tracker (offline, or just added); `refused`: see `error`. */
  status: 'pending' | 'watching' | 'refused';
  error: string | null;
  /** Matches, newest first (a bounded number). */
  matches: SearchResult[];
  /** The match downloaded by itself, once `downloadWhenFound` found one. */
  autoDownloaded: string | null;
  /**
   * Where the tracker catches this watch up from when the page comes back (`since` of `watch:add`, on the tracker's
   * clock): the newest match seen, or when the watch went live; null until the tracker first accepted it.
   */
  since: number | null;
}

export interface WatchedView {
  searches: WatchedSearchView[];
  /** Why the last "Watch this search" did nothing (a wrong query, too many watches). */
  notice: string | null;
}

/** A share link being opened: what it names, and what the tracker says of it. */
export interface LinkView {
  fileId: string;
  isFolder: boolean;
  /** The link's hints, until the tracker answers. */
  hintName: string | null;
  hintSize: number | null;
  /**
   * `looking`: asking the tracker; `found`: someone holds it; `waiting`: nobody does, it starts by itself when a
   * holder appears; `started`: its download started (see the transfers); `failed`: see `error`.
   */
  status: 'looking' | 'found' | 'waiting' | 'started' | 'failed';
  file: SearchResult | null;
  error: string | null;
}

/** Where downloads are kept, and how much room they take and have. */
export interface StorageView {
  status: 'opening' | 'ready' | 'failed';
  /** Downloads survive a reload. */
  persistent: boolean;
  /** Bytes this page's downloads take, finished or not (each takes its file's size from the start). */
  usedBytes: number;
  /** Bytes the browser lets this site add, when it says. */
  freeBytes: number | null;
  /** Something the user should know about storage. */
  note: string | null;
}

export interface EngineState {
  /** The tracker connection: its state, what happened, this page's peer id, and the tracker's URL (or the one tried). */
  tracker: { status: TrackerStatus; detail: string; peerId: string | null; url: string | null };
  shares: ShareView[];
  search: SearchView;
  transfers: TransferView[];
  storage: StorageView;
  /** Upload slots and speed cap, and the peers served and waiting now. */
  uploads: UploadsView;
  watched: WatchedView;
  /** The share link the page was opened with, if any. */
  link: LinkView | null;
  /** Something that went wrong outside any one row (a drop that could not be read, a save that failed). */
  problem: string | null;
}

export const initialEngineState: EngineState = {
  tracker: { status: 'connecting', detail: 'connecting to the tracker…', peerId: null, url: null },
  shares: [],
  search: {
    query: '',
    sort: 'relevance',
    status: 'idle',
    results: [],
    total: 0,
    error: null,
    hint: null,
    loadingMore: false,
  },
  transfers: [],
  storage: { status: 'opening', persistent: false, usedBytes: 0, freeBytes: null, note: null },
  uploads: { slots: DEFAULT_UPLOAD_SLOTS, bytesPerSecond: null, served: 0, queued: 0 },
  watched: { searches: [], notice: null },
  link: null,
  problem: null,
};
