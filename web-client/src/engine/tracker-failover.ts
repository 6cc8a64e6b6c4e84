/** First retry after a lost tracker: somewhere within this window, so the pages of a dead tracker spread out. */
export const FIRST_RETRY_WINDOW_MS = 1000;
/** Retries after that back off exponentially from this... */
export const RETRY_BASE_MS = 1000;
/** ...up to this. */
export const RETRY_MAX_MS = 10_000;

/** The tracker to try next and when. */
export interface NextAttempt {
  url: string;
  delayMs: number;
}

/**
 * Which tracker a page connects to next, and after how long: round the list of trackers (each attempt goes to the
 * next one, so a dead tracker is left at once), with exponential backoff and jitter (so the pages of a tracker that
 * died do not all arrive at the same moment, and a page whose trackers are all down does not hammer them). Pure: the
 * caller does the connecting and the waiting.
 */
export class TrackerFailover {
  private urls: string[];
  private index = 0;
  private failures = 0;

  constructor(
    initialUrl: string,
    private readonly random: () => number = Math.random,
  ) {
    this.urls = [initialUrl];
  }

  /** Every tracker known, the current one first. */
  get trackers(): readonly string[] {
    return this.urls;
  }

  /**
   * A connection to `url` succeeded and it handed out the list of trackers (empty when it runs alone). The failure
   * count starts again.
   */
  connected(url: string, trackerUrls: readonly string[]): void {
    const list = trackerUrls.filter((item) => item !== url);
    // The connected one is kept even when the list does not name it (say, a load balancer's address).
    this.urls = [url, ...list];
    this.index = 0;
    this.failures = 0;
  }

  /** The current connection failed or was lost: where to go next and how long to wait first. */
  next(): NextAttempt {
    this.failures++;
    this.index = (this.index + 1) % this.urls.length;
    const url = this.urls[this.index] as string;
    if (this.failures === 1) return { url, delayMs: Math.floor(this.random() * FIRST_RETRY_WINDOW_MS) };
    const ceiling = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** (this.failures - 2));
    // "Equal jitter": at least half the backoff, so retries do back off; the rest at random.
    return { url, delayMs: Math.floor(ceiling / 2 + (this.random() * ceiling) / 2) };
  }
}
