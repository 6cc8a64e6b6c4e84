import { z } from 'zod';

/** Longest name kept for a download (the tracker's limit is lower; this only bounds what storage reads back). */
const MAX_STORED_NAME = 1024;

/**
 * What a download's folder says of it besides its pieces: read back after a reload, so it is validated like any
 * outside input (storage can be cleared or edited underneath the page).
 */
export const downloadInfoSchema = z.strictObject({
  version: z.literal(1),
  name: z.string().min(1).max(MAX_STORED_NAME),
  mimeType: z.string().max(MAX_STORED_NAME),
  /** The user paused it: it does not resume by itself after a reload. */
  paused: z.boolean(),
  /** Every piece verified and flushed; only then is the data file a finished file. */
  complete: z.boolean(),
});

export type DownloadInfo = z.infer<typeof downloadInfoSchema>;

export function encodeDownloadInfo(info: DownloadInfo): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(info));
}

/** The record, or null when it is missing, unreadable or not one of ours. */
export function decodeDownloadInfo(bytes: Uint8Array): DownloadInfo | null {
  try {
    const parsed = downloadInfoSchema.safeParse(JSON.parse(new TextDecoder().decode(bytes)));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
