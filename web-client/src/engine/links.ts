import { MAX_FILE_SIZE, fileIdSchema, fileNameSchema } from '@shoal/common';

/**
 * Share links: `<page>#/file/<content id>?name=…&size=…` (`#/folder/…` for a folder). The content id decides what is
 * downloaded, and the engine checks every byte against the manifest that hashes to it, so a link can never deliver
 * other bytes; the name and size are only hints to show while the tracker is asked.
 */

/** What a share link names. */
export interface ShareLink {
  fileId: string;
  isFolder: boolean;
  /** Shown until the tracker answers; `null` when the link has none (or a malformed one). */
  name: string | null;
  size: number | null;
}

const LINK = /^#\/(file|folder)\/([^?]*)(?:\?(.*))?$/;

/** The link to one shared file or folder, for a page at `base` (its origin and path, without the hash). */
export function shareLinkUrl(
  base: string,
  item: { id: string; name: string; size: number; isFolder: boolean },
): string {
  const query = new URLSearchParams({ name: item.name, size: String(item.size) });
  return `${base}#/${item.isFolder ? 'folder' : 'file'}/${item.id}?${query.toString()}`;
}

/**
 * Reads a share link from a location hash (`#/file/…`); `null` when the hash is not one or names no valid content
 * id. A bad name or size is dropped, not trusted.
 */
export function parseShareLink(hash: string): ShareLink | null {
  const match = LINK.exec(hash);
  if (!match) return null;
  const id = fileIdSchema.safeParse(match[2]);
  if (!id.success) return null;
  const params = new URLSearchParams(match[3] ?? '');
  const name = fileNameSchema.safeParse(params.get('name') ?? '');
  const sizeText = params.get('size') ?? '';
  const size = /^\d{1,16}$/.test(sizeText) ? Number(sizeText) : Number.NaN;
  return {
    fileId: id.data,
    isFolder: match[1] === 'folder',
    name: name.success ? name.data : null,
    size: Number.isSafeInteger(size) && size <= MAX_FILE_SIZE ? size : null,
  };
}
