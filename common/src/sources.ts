import { z } from 'zod';
import type { DisplayName } from './display-name.ts';
import { fileIdSchema, type FileId, type PeerId } from './schemas.ts';

/** Payload of `files:sources`: who holds this file, by name? */
export const sourcesSchema = z.strictObject({ fileId: fileIdSchema });
export type SourcesRequest = z.infer<typeof sourcesSchema>;

/** One connected holder of a file, as people see it: a peer to browse, the name it goes by, whether it has it all. */
export interface FileSource {
  peerId: PeerId;
  /** The peer's display name; null when it has not told one (yet). Chosen by that peer: shown, never trusted. */
  name: DisplayName | null;
  /** Holds the whole file (else part of it: a page still downloading it). */
  complete: boolean;
}

/**
 * Acknowledgement data of `files:sources`: connected holders other than the asker, at most `MAX_SOURCES_RETURNED`,
 * complete holders first, then partial holders with the most pieces first.
 */
export interface SourcesResponse {
  fileId: FileId;
  sources: FileSource[];
}
