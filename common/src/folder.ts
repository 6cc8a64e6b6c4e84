import { z } from 'zod';
import {
  MAX_FILE_NAME_LENGTH,
  MAX_FILE_SIZE,
  MAX_FOLDER_FILES,
  MAX_FOLDER_LISTING_BYTES,
  MAX_PATH_LENGTH,
} from './limits.ts';
import { sanitizePath, sanitizePathSegment } from './paths.ts';

/**
 * A shared folder is itself shared as a file: its listing (what follows), registered under the folder's name with
 * this MIME type. It is found by search, fetched and verified piece by piece like any file, and its content id pins
 * down every file in it, since the listing names each by content id.
 */
export const FOLDER_MIME_TYPE = 'application/x-shoal-folder';

/** A file of a shared folder: where it sits in the folder, and which content it is. */
export interface FolderFile {
  /** Its path inside the folder, "/"-separated, in the canonical safe form of `sanitizePath`. */
  path: string;
  id: string;
  size: number;
}

export interface FolderListing {
  /** The folder's own name. */
  name: string;
  files: FolderFile[];
  /** Folders with nothing in them (the others follow from the files' paths). */
  emptyFolders: string[];
}

export class FolderListingError extends Error {
  override name = 'FolderListingError';
}

const pathSchema = z.string().min(1).max(MAX_PATH_LENGTH);
const listingSchema = z.strictObject({
  version: z.literal(1),
  name: z.string().min(1).max(MAX_FILE_NAME_LENGTH),
  files: z
    .array(
      z.strictObject({
        path: pathSchema,
        id: z.string().regex(/^[0-9a-f]{64}$/),
        size: z.number().int().min(0).max(MAX_FILE_SIZE),
      }),
    )
    .max(MAX_FOLDER_FILES),
  emptyFolders: z.array(pathSchema).max(MAX_FOLDER_FILES),
});

const byPath = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The listing's bytes, in one canonical form (entries sorted by path), so the same folder always gets the same
 * content id.
 */
export function encodeFolderListing(listing: FolderListing): Uint8Array {
  const canonical = {
    version: 1,
    name: listing.name,
    files: [...listing.files].sort((a, b) => byPath(a.path, b.path)).map(({ path, id, size }) => ({ path, id, size })),
    emptyFolders: [...listing.emptyFolders].sort(byPath),
  };
  const bytes = new TextEncoder().encode(JSON.stringify(canonical));
  if (bytes.length > MAX_FOLDER_LISTING_BYTES) throw new FolderListingError('the folder listing is too large');
  return bytes;
}

/**
 * Reads a listing received from a peer, refusing anything a downloader should not act on: paths that are not in
 * their safe canonical form (absolute, with "..", reserved names…), the same path twice, a file where another
 * entry needs a folder, more entries than the limits allow.
 */
export function decodeFolderListing(bytes: Uint8Array): FolderListing {
  if (bytes.length > MAX_FOLDER_LISTING_BYTES) throw new FolderListingError('the folder listing is too large');
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new FolderListingError('the folder listing is not JSON');
  }
  const result = listingSchema.safeParse(parsed);
  if (!result.success) throw new FolderListingError(`bad folder listing: ${result.error.issues[0]?.message}`);
  const { name, files, emptyFolders } = result.data;
  if (sanitizePathSegment(name) !== name) throw new FolderListingError('unsafe folder name');
  const filePaths = new Set<string>();
  const parents = new Set<string>();
  for (const path of [...files.map((file) => file.path), ...emptyFolders]) {
    if (sanitizePath(path) !== path) throw new FolderListingError(`unsafe path in the folder listing: ${path}`);
  }
  for (const { path } of files) {
    if (filePaths.has(path)) throw new FolderListingError(`the same path twice: ${path}`);
    filePaths.add(path);
    const parts = path.split('/');
    for (let depth = 1; depth < parts.length; depth++) parents.add(parts.slice(0, depth).join('/'));
  }
  for (const path of filePaths) {
    if (parents.has(path)) throw new FolderListingError(`a file where a folder is: ${path}`);
  }
  const seenFolders = new Set<string>();
  for (const path of emptyFolders) {
    if (filePaths.has(path) || parents.has(path) || seenFolders.has(path)) {
      throw new FolderListingError(`an empty folder that is not empty or not a folder: ${path}`);
    }
    seenFolders.add(path);
  }
  return { name, files, emptyFolders };
}

/** Bytes of all the folder's files. */
export function folderSize(listing: FolderListing): number {
  return listing.files.reduce((sum, file) => sum + file.size, 0);
}
