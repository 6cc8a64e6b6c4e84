import { z } from 'zod';
import {
  DEFAULT_BROWSE_LIMIT,
  MAX_BROWSE_ENTRIES,
  MAX_BROWSE_LIMIT,
  MAX_FILE_SIZE,
  MAX_FOLDER_LISTING_BYTES,
  MAX_PATH_LENGTH,
} from './limits.ts';
import { sanitizePath, sanitizePathSegment } from './paths.ts';
import { fileIdSchema, fileNameSchema, peerIdSchema, type PeerId } from './schemas.ts';

/**
 * Browsing a peer: one page asks the tracker for a folder level of what another page shares; the tracker asks that
 * page (`browse:request`), checks its answer against the schemas below and only then hands it over. The top level
 * lists the files the page shares on their own and each folder it shares; a folder lists its files and subfolders,
 * one level per request, a page of entries at a time.
 */

/** A path inside a shared folder: '' for the folder itself, else in the canonical safe form of `sanitizePath`. */
export const folderPathSchema = z
  .string()
  .max(MAX_PATH_LENGTH)
  .refine((path) => path === '' || sanitizePath(path) === path, 'must be a canonical path inside the folder');

/** One name in a folder: what `sanitizePathSegment` gives back unchanged, without separators. */
export const pathSegmentSchema = z
  .string()
  .min(1)
  .max(255)
  .refine((name) => !/[/\\]/.test(name) && sanitizePathSegment(name) === name, 'must be a safe folder name');

/** A folder in a peer's shares: the shared folder (by its listing's content id) and the path inside it. */
export const browseFolderSchema = z.strictObject({ listingId: fileIdSchema, path: folderPathSchema });
export type BrowseFolder = z.infer<typeof browseFolderSchema>;

const pageBounds = {
  offset: z.number().int().min(0).max(MAX_BROWSE_ENTRIES),
  limit: z.number().int().min(1).max(MAX_BROWSE_LIMIT),
};

/** Payload of `peers:browse`: a page of one folder level of what `peerId` shares (the top level without `folder`). */
export const browsePeerSchema = z.strictObject({
  peerId: peerIdSchema,
  folder: browseFolderSchema.optional(),
  offset: pageBounds.offset.default(0),
  limit: pageBounds.limit.default(DEFAULT_BROWSE_LIMIT),
});
export type BrowsePeerRequest = z.input<typeof browsePeerSchema>;

/** What the tracker asks the browsed page (`browse:request`): never who is asking. */
export const browseQuerySchema = z.strictObject({
  folder: browseFolderSchema.optional(),
  offset: pageBounds.offset,
  limit: pageBounds.limit,
});
export type BrowseQuery = z.infer<typeof browseQuerySchema>;

/** A file in a browse page: downloaded by its content id like a search result. */
export const browseFileEntrySchema = z.strictObject({
  kind: z.literal('file'),
  name: fileNameSchema,
  size: z.number().int().min(0).max(MAX_FILE_SIZE),
  fileId: fileIdSchema,
});

/**
 * A folder in a browse page, opened by adding its name to the path browsed. At the top level it is a shared folder
 * and names its listing (id and byte size), which browsing into it and downloading it need; below, it has none.
 */
export const browseFolderEntrySchema = z.strictObject({
  kind: z.literal('folder'),
  name: pathSegmentSchema,
  /** Bytes of every file in it, at any depth. */
  size: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  /** Files in it, at any depth. */
  count: z.number().int().min(0).max(MAX_BROWSE_ENTRIES),
  listing: z.strictObject({ id: fileIdSchema, size: z.number().int().min(1).max(MAX_FOLDER_LISTING_BYTES) }).optional(),
});

export const browseEntrySchema = z.discriminatedUnion('kind', [browseFileEntrySchema, browseFolderEntrySchema]);
export type BrowseEntry = z.infer<typeof browseEntrySchema>;
export type BrowseFileEntry = z.infer<typeof browseFileEntrySchema>;
export type BrowseFolderEntry = z.infer<typeof browseFolderEntrySchema>;

/** One page of a folder level: folders first, then files, each in name order; `total` entries in the level. */
export const browsePageSchema = z.strictObject({
  entries: z.array(browseEntrySchema).max(MAX_BROWSE_LIMIT),
  total: z.number().int().min(0).max(MAX_BROWSE_ENTRIES),
});
export type BrowsePage = z.infer<typeof browsePageSchema>;

/** Longest message a browsed page may give with a refusal. */
const MAX_REFUSAL_LENGTH = 200;

/**
 * What the browsed page answers `browse:request` with: a page, or `NOT_FOUND` when it shares no such folder (any
 * more). Anything else, or nothing in time, and the asker gets `BAD_PEER_ANSWER` or `PEER_TIMEOUT` instead.
 */
export const browseReplySchema = z.discriminatedUnion('ok', [
  z.strictObject({ ok: z.literal(true), data: browsePageSchema }),
  z.strictObject({
    ok: z.literal(false),
    error: z.strictObject({ code: z.literal('NOT_FOUND'), message: z.string().max(MAX_REFUSAL_LENGTH) }),
  }),
]);
export type BrowseReply = z.infer<typeof browseReplySchema>;

/**
 * What a well-formed page must also be for the query it answers: no more entries than asked for, a total that
 * holds them, and listings named on top-level folders only. Null when it is, else why not.
 */
export function browsePageMismatch(query: BrowseQuery, page: BrowsePage): string | null {
  if (page.entries.length > query.limit) return `${page.entries.length} entries for a page of ${query.limit}`;
  if (page.entries.length > 0 && page.total < query.offset + page.entries.length) {
    return `a total of ${page.total} cannot hold entries ${query.offset} to ${query.offset + page.entries.length}`;
  }
  const topLevel = query.folder === undefined;
  for (const entry of page.entries) {
    if (entry.kind === 'folder' && (entry.listing !== undefined) !== topLevel) {
      return topLevel ? 'a shared folder without its listing' : 'a subfolder naming a listing';
    }
  }
  return null;
}

/** Acknowledgement data of `peers:browse`: the page the browsed peer gave, for the folder and offset asked. */
export interface BrowseResponse extends BrowsePage {
  peerId: PeerId;
  folder: BrowseFolder | null;
  offset: number;
}
