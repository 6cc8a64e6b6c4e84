/** Shapes of `bench/results.json`, shared by the benchmark parts and the runner. */

export interface TransferResults {
  /** Where the two pages lived: one ordinary profile (two origins) or two incognito contexts. */
  profile: 'profile' | 'incognito';
  /** Raw RTCDataChannel between the two pages (the ceiling), MiB/s, median. */
  rawMiBps: number;
  /** Shoal downloading through the UI path, MiB/s, median. */
  shoalMiBps: number;
  /** shoalMiBps / rawMiBps. */
  ratio: number;
  /** Click on Download to first verified piece, ms, median. */
  ttfbMs: number;
  [detail: string]: unknown;
}

export interface HashingResults {
  /** Making a manifest in the hashing worker, MiB/s, median. */
  workerMiBps: number;
  /** WebCrypto SHA-256 over the same bytes in a plain loop in the page, MiB/s, median. */
  webCryptoMiBps: number;
  ratio: number;
  [detail: string]: unknown;
}

/** Big downloads stored in the Origin Private File System of a persistent (disk-backed) browser profile. */
export interface StorageResults {
  /** The download the memory measure makes: 4 × the tab's starting heap, at least 256 MiB. */
  downloadMiB: number;
  /** The Shoal tab's used JS heap before downloading (after a forced GC), MiB. */
  startHeapMiB: number;
  /** Summed resident memory of the downloader browser's process tree before the download, MiB. */
  rssStartMiB: number;
  /** Its highest reading during the download, less the start, MiB. */
  rssGrowthMiB: number;
  /** rssGrowthMiB / downloadMiB: 1 would mean the whole file was held in memory. */
  growthPerDownloadedByte: number;
  /** The network rate: the faster of the raw data channel (median) and Shoal's own download, MiB/s. */
  networkMiBps: number;
  /** The piece worker's storage path writing 1 MiB pieces and their verified bits to OPFS, MiB/s, median. */
  opfsWriteMiBps: number;
  /** opfsWriteMiBps / networkMiBps: must stay well above 1 (storage is never the bottleneck). */
  storageToNetwork: number;
  [detail: string]: unknown;
}

/** Tracker scale figures; each part fills its own keys. */
export type TrackerResults = Record<string, unknown>;

/** One row of the markdown table printed at the end: what, Shoal's figure, the baseline, the ratio or target. */
export interface TableRow {
  measure: string;
  shoal: string;
  baseline: string;
  note: string;
}
