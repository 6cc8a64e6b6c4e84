import type { FolderListing } from '@shoal/common';

/**
 * The part of a shared folder's listing under `path` (a folder in it, "/"-separated, as the listing writes paths),
 * as a listing of its own: named after that folder, its files and empty folders with paths relative to it. Null
 * when the listing has no folder at `path`. The whole listing for ''.
 */
export function subfolderListing(listing: FolderListing, path: string): FolderListing | null {
  if (path === '') return listing;
  const lead = `${path}/`;
  const files = listing.files
    .filter((file) => file.path.startsWith(lead))
    .map((file) => ({ ...file, path: file.path.slice(lead.length) }));
  const emptyFolders = listing.emptyFolders
    .filter((folder) => folder.startsWith(lead))
    .map((folder) => folder.slice(lead.length));
  if (files.length === 0 && emptyFolders.length === 0 && !listing.emptyFolders.includes(path)) return null;
  return { name: path.slice(path.lastIndexOf('/') + 1), files, emptyFolders };
}
