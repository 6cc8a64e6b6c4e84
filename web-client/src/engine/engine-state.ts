import type { SearchResult } from '@shoal/common';
import type { TrackerStatus } from './tracker-client.ts';
import type { DownloadSnapshot } from './transfer/download-types.ts';

/** A file the user added, from hashing to shared. */
export interface ShareView {
  /** Local key, stable from the moment the file is added. */
  key: string;
  name: string;
  size: number;
  status: 'hashing' | 'shared' | 'failed';
  hashedBytes: number;
  /** File id once hashed. */
  id: string | null;
  /** Whether the tracker has acknowledged the registration (false while offline). */
  registered: boolean;
  error: string | null;
}

export interface SearchView {
  query: string;
  status: 'idle' | 'searching' | 'done' | 'failed';
  results: SearchResult[];
  total: number;
  error: string | null;
}

export interface TransferView extends DownloadSnapshot {
  key: string;
  fileId: string;
  name: string;
}

export interface EngineState {
  /** The tracker connection: its state, what happened, this page's peer id, and the tracker's URL (or the one tried). */
  tracker: { status: TrackerStatus; detail: string; peerId: string | null; url: string | null };
  shares: ShareView[];
  search: SearchView;
  transfers: TransferView[];
}

export const initialEngineState: EngineState = {
  tracker: { status: 'connecting', detail: 'connecting to the tracker…', peerId: null, url: null },
  shares: [],
  search: { query: '', status: 'idle', results: [], total: 0, error: null },
  transfers: [],
};
