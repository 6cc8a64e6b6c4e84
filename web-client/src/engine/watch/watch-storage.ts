import { z } from 'zod';
import {
  MAX_QUERY_LENGTH,
  fileIdSchema,
  searchResultSchema,
  trackerTimeSchema,
  type SearchResult,
} from '@shoal/common';

/** Where watched searches are kept across reloads. */
export const WATCHES_STORAGE_KEY = 'shoal.watched-searches.v1';
/** Matches kept per watched search, newest first. */
export const MAX_KEPT_MATCHES = 20;

/** What is kept of one watched search (the tracker forgets watches with the connection; the page keeps them). */
export interface StoredWatch {
  key: string;
  query: string;
  downloadWhenFound: boolean;
  matches: SearchResult[];
  autoDownloaded: string | null;
  /** Where the tracker catches it up from (see `WatchedSearchView.since`). */
  since: number | null;
}

// A match as the tracker pushes it; kept by pages from before results listed their names, it reads as shared
// under its one name.
const matchSchema = searchResultSchema.extend({
  names: searchResultSchema.shape.names.default([]),
  nameCount: searchResultSchema.shape.nameCount.default(1),
});
const storedWatchSchema = z.object({
  key: z.string().min(1).max(64),
  query: z.string().min(1).max(MAX_QUERY_LENGTH),
  downloadWhenFound: z.boolean(),
  matches: z.array(matchSchema).max(MAX_KEPT_MATCHES),
  autoDownloaded: fileIdSchema.nullable(),
  // Kept by pages from before catch-up: such a watch starts catching up from when the tracker next accepts it.
  since: trackerTimeSchema.nullable().default(null),
});

/** The part of `localStorage` used here (tests pass a map). */
export type KeyValueStore = Pick<Storage, 'getItem' | 'setItem'>;

/**
 * Reads the kept watches, at most `max`; whatever does not parse (another version, a hand edit) is dropped, never
 * trusted: it becomes no watch rather than a broken one.
 */
export function loadWatches(store: KeyValueStore | null, max: number): StoredWatch[] {
  let json: unknown;
  try {
    json = JSON.parse(store?.getItem(WATCHES_STORAGE_KEY) ?? '[]');
  } catch {
    return [];
  }
  if (!Array.isArray(json)) return [];
  const watches: StoredWatch[] = [];
  for (const item of json) {
    const parsed = storedWatchSchema.safeParse(item);
    if (parsed.success && !watches.some((watch) => watch.key === parsed.data.key)) watches.push(parsed.data);
    if (watches.length === max) break;
  }
  return watches;
}

/** Keeps the watches; a full or missing storage only means they are not remembered. */
export function saveWatches(store: KeyValueStore | null, watches: readonly StoredWatch[]): void {
  try {
    store?.setItem(WATCHES_STORAGE_KEY, JSON.stringify(watches));
  } catch {
    // Quota or private mode: the watches still work until the page closes.
  }
}
