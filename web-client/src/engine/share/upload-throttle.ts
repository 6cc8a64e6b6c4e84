/** Smallest chunk a capped upload sends (see {@link UploadThrottle.chunkSize}). */
const MIN_CAPPED_CHUNK = 16 * 1024;
/** Burst allowed on top of the cap: a quarter of a second of it, at least this much. */
const MIN_BURST = 64 * 1024;

/**
 * The page's upload speed cap, shared by every upload session: a token bucket refilled at the cap, with a quarter of
 * a second of burst. Without a cap, {@link limited} is false and senders do not call {@link take} at all, so an
 * uncapped upload pays nothing per chunk. The cap can change at any time: senders already waiting are rescheduled at
 * the new rate (or released at once when the cap is lifted). Waiting senders are served in order.
 */
export class UploadThrottle {
  private rate: number | null = null;
  /** Bytes that may go out now; negative after a chunk larger than what was left (paid back before the next). */
  private tokens = 0;
  private last = performance.now();
  private readonly waiting: { bytes: number; resolve: () => void }[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(bytesPerSecond: number | null) {
    this.setRate(bytesPerSecond);
  }

  /** The cap in bytes per second, or null for none. */
  get bytesPerSecond(): number | null {
    return this.rate;
  }

  /** Whether a cap is set (senders skip {@link take} otherwise). */
  get limited(): boolean {
    return this.rate !== null;
  }

  /** Sets (or, with null, lifts) the cap; applies to senders already waiting. */
  setRate(bytesPerSecond: number | null): void {
    if (bytesPerSecond !== null && !(Number.isFinite(bytesPerSecond) && bytesPerSecond > 0))
      throw new RangeError(`upload cap must be a positive number of bytes per second, got ${bytesPerSecond}`);
    const wasLimited = this.rate !== null;
    this.refill();
    this.rate = bytesPerSecond;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (bytesPerSecond === null) {
      for (const waiter of this.waiting.splice(0)) waiter.resolve();
      return;
    }
    // A new cap starts with a full burst; a changed one keeps what is left, within the new burst.
    this.tokens = wasLimited ? Math.min(this.tokens, this.burst) : this.burst;
    this.drain();
  }

  /**
   * The largest chunk to send at once under the cap: an eighth of a second of it (at least 16 KiB, at most `max`), so
   * that with a low cap and many sessions each still gets data out every few seconds instead of one 256 KiB chunk
   * per session in turn.
   */
  chunkSize(max: number): number {
    if (this.rate === null) return max;
    return Math.min(max, Math.max(MIN_CAPPED_CHUNK, Math.floor(this.rate / 8)));
  }

  /** Resolves once `bytes` may be sent. */
  take(bytes: number): Promise<void> {
    if (this.rate === null) return Promise.resolve();
    this.refill();
    if (this.waiting.length === 0 && this.tokens > 0) {
      this.tokens -= bytes;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.waiting.push({ bytes, resolve });
      this.schedule();
    });
  }

  private get burst(): number {
    return this.rate === null ? 0 : Math.max(MIN_BURST, this.rate / 4);
  }

  private refill(): void {
    const now = performance.now();
    if (this.rate !== null) this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
  }

  private drain(): void {
    this.refill();
    while (this.waiting.length > 0 && this.tokens > 0) {
      const waiter = this.waiting.shift()!;
      this.tokens -= waiter.bytes;
      waiter.resolve();
    }
    this.schedule();
  }

  /** Wakes up when the tokens are back above zero, for the first waiting sender. */
  private schedule(): void {
    if (this.timer || this.waiting.length === 0 || this.rate === null) return;
    const ms = Math.max(1, ((1 - this.tokens) / this.rate) * 1000);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.drain();
    }, ms);
  }
}
