import { z } from 'zod';
import { MAX_QUERY_LENGTH } from './limits.ts';
import { fileIdSchema, type FileId, type SearchResult } from './schemas.ts';

/**
 * Payloads of watches (`watch:add`, `watch:remove`, `watch:match`) and of `files:lookup`: a page keeps a few live
 * queries on the tracker, which pushes every file that becomes findable under a matching name; a share link looks
 * one file up by its content id and, when nobody holds it, watches that id.
 */

/** A watch's id, chosen by the tracker, unique within one connection. */
export const watchIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'must be 1 to 32 letters, digits, - or _');
export type WatchId = z.infer<typeof watchIdSchema>;

/**
 * A time on the tracker's registry clock, in milliseconds: the clock that dates each file's first registration (the
 * tracker's wall clock; with a shared Redis registry, the Redis server's clock as the command log's entry ids carry
 * it, so it reads the same on every tracker).
 */
export const trackerTimeSchema = z
  .number({ error: 'must be a number of milliseconds on the tracker clock' })
  .int('must be a whole number of milliseconds')
  .min(0, 'must not be negative')
  .max(Number.MAX_SAFE_INTEGER, 'is too large');
export type TrackerTime = z.infer<typeof trackerTimeSchema>;

/**
 * Payload of `watch:add`: a search query (the search box's syntax, see `parseSearchQuery`; it must name at least one
 * word to look for, so a watch cannot mean "every file"), or a file id (matched when that content becomes findable).
 *
 * A query watch may say `since`: the `firstSeen` of the newest match the page has seen for it (or the `liveFrom` its
 * first `watch:add` was answered with). The tracker then also pushes, as catch-up, the files matching the query that
 * were first registered since then (that millisecond included, so a page may be sent again the match it dated `since`
 * by: it shows a file once), the newest `MAX_CATCH_UP_MATCHES` at most. It is only a filter: a time in
 * the future catches nothing up, a time long past catches up the newest matches there are.
 */
export const watchAddSchema = z.union([
  z.strictObject({ query: z.string().min(1).max(MAX_QUERY_LENGTH), since: trackerTimeSchema.optional() }),
  z.strictObject({ fileId: fileIdSchema }),
]);
export type WatchAddRequest = z.infer<typeof watchAddSchema>;
/** Acknowledgement data of `watch:add`. */
export interface WatchAddResponse {
  watchId: WatchId;
  /**
   * From this time on (the tracker's registry clock when the watch was added, plus one millisecond: what was there
   * then is no news), every file first registered is matched live: the `since` to send next time for a watch that
   * has seen no newer match.
   */
  liveFrom: TrackerTime;
}

/** Payload of `watch:remove`: one of this connection's watches. */
export const watchRemoveSchema = z.strictObject({ watchId: watchIdSchema });
export type WatchRemoveRequest = z.infer<typeof watchRemoveSchema>;
/** Acknowledgement data of `watch:remove`: whether this connection had that watch (removing twice is harmless). */
export interface WatchRemoveResponse {
  removed: boolean;
}

/**
 * Pushed by the tracker (`watch:match`) when a file becomes findable under a name that matches a watch: a file id
 * nobody held a moment ago, or a name the file was not listed under. `file.name` is the name that matched.
 */
export interface WatchMatch {
  watchId: WatchId;
  file: SearchResult;
  /** When the file was first registered, on the tracker's registry clock (what `since` compares with). */
  firstSeen: TrackerTime;
  /**
   * Present (true) on a match of a file registered while the page was away: one the `since` of `watch:add` asked for,
   * pushed right after its acknowledgement, oldest first.
   */
  catchUp?: true;
}

/** Payload of `files:lookup`: one file by its content id (what a share link opens). */
export const lookupSchema = z.strictObject({ fileId: fileIdSchema });
export type LookupRequest = z.infer<typeof lookupSchema>;
/** Acknowledgement data of `files:lookup`: the file as a search would show it, or `null` when nobody holds it. */
export interface LookupResponse {
  fileId: FileId;
  file: SearchResult | null;
}
