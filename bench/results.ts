/** Shapes of `bench/results.json`, shared by the benchmark parts and the runner. */

export interface TransferResults {
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

/** Tracker scale figures; each part fills its own keys. */
export type TrackerResults = Record<string, unknown>;

/** One row of the markdown table printed at the end: what, Shoal's figure, the baseline, the ratio or target. */
export interface TableRow {
  measure: string;
  shoal: string;
  baseline: string;
  note: string;
}
