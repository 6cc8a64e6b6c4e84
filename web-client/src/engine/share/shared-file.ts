import type { Manifest } from '@shoal/common';

/** A file this page serves to others: its bytes, its manifest (encoded and decoded) and its id. */
export interface SharedFile {
  id: string;
  name: string;
  mimeType: string;
  /** The bytes: a file the user picked or dropped, or a finished download. */
  data: Blob;
  manifestBytes: Uint8Array;
  manifest: Manifest;
}
