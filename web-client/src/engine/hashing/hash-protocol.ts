/** Messages between the page and the hashing worker. */

export interface HashRequest {
  jobId: number;
  file: File;
}

export type HashReply =
  | { jobId: number; type: 'progress'; bytesHashed: number }
  | { jobId: number; type: 'done'; id: string; manifest: Uint8Array }
  | { jobId: number; type: 'error'; message: string };
