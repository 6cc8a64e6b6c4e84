/** Messages between the benchmark's floor receiver (necessary-work.ts) and its worker. */
export type NecessaryWorkRequest =
  | { type: 'open' }
  /** `length` bytes of `buffer` (transferred, and sent back once stored) at byte `at` of the file. */
  | { type: 'piece'; buffer: ArrayBuffer; length: number; at: number }
  | { type: 'close' };

export type NecessaryWorkReply =
  | { type: 'opened' }
  | { type: 'stored'; buffer: ArrayBuffer }
  | { type: 'closed' }
  | { type: 'error'; message: string };
