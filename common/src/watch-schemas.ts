import { z } from 'zod';
import {
  MAX_FILE_SIZE,
  MAX_MATCHES_PER_PUSH,
  MAX_MIME_TYPE_LENGTH,
  MAX_QUERY_LENGTH,
  MAX_RESULT_NAMES,
} from './limits.ts';
import { fileIdSchema, fileNameSchema, type FileId, type SearchResult } from './schemas.ts';

/**
 * Payloads of watches (`watch:add`, `watch:remove`, `watch:matches`) and of `files:lookup`: a page keeps a few live
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

const countSchema = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** A file as a search shows it ({@link SearchResult}), as a page checks it when the tracker pushes one. */
export const searchResultSchema = z.object({
  id: fileIdSchema,
  name: fileNameSchema,
  names: z.array(fileNameSchema).max(MAX_RESULT_NAMES),
  nameCount: countSchema,
  size: z.number().int().min(0).max(MAX_FILE_SIZE),
  mimeType: z.string().max(MAX_MIME_TYPE_LENGTH),
  holders: countSchema,
  partialHolders: countSchema,
  availability: z.number().min(0).max(1),
}) satisfies z.ZodType<SearchResult>;

/**
 * One match: a file that became findable under a name that matches a watch (a file id nobody held a moment ago, or
 * a name the file was not listed under). `file.name` is the name that matched.
 */
export const watchMatchSchema = z.object({
  watchId: watchIdSchema,
  file: searchResultSchema,
  /** When the file was first registered, on the tracker's registry clock (what `since` compares with). */
  firstSeen: trackerTimeSchema,
  /**
   * Present (true) on a match of a file registered while the page was away: one the `since` of `watch:add` asked for,
   * pushed right after its acknowledgement, oldest first.
   */
  catchUp: z.literal(true).optional(),
});
export type WatchMatch = z.infer<typeof watchMatchSchema>;

/**
 * Pushed by the tracker (`watch:matches`): the matches it has for this connection's watches since its last push, in
 * the order they were made (a watch's catch-up oldest first), 1 to {@link MAX_MATCHES_PER_PUSH} of them. One packet
 * carries what would otherwise take as many writes; a page handles each match as if it had come alone.
 */
export const watchMatchesSchema = z.array(watchMatchSchema).min(1).max(MAX_MATCHES_PER_PUSH);
export type WatchMatches = z.infer<typeof watchMatchesSchema>;

/** Payload of `files:lookup`: one file by its content id (what a share link opens). */
export const lookupSchema = z.strictObject({ fileId: fileIdSchema });
export type LookupRequest = z.infer<typeof lookupSchema>;
/** Acknowledgement data of `files:lookup`: the file as a search would show it, or `null` when nobody holds it. */
export interface LookupResponse {
  fileId: FileId;
  file: SearchResult | null;
}
