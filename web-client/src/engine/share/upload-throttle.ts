/**
 * The page's upload speed cap, shared by every upload session: a token bucket refilled at `bytesPerSecond`, with a
 * quarter of a second of burst. Callers await `take(bytes)` before sending; waits are served in order.
 */
export class UploadThrottle {
  private tokens: number;
  private last = performance.now();
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly bytesPerSecond: number | null) {
    this.tokens = this.burst;
  }

  private get burst(): number {
    return this.bytesPerSecond === null ? Infinity : Math.max(64 * 1024, this.bytesPerSecond / 4);
  }

  /** Resolves once `bytes` may be sent. */
  take(bytes: number): Promise<void> {
    if (this.bytesPerSecond === null) return Promise.resolve();
    const rate = this.bytesPerSecond;
    this.queue = this.queue.then(async () => {
      const now = performance.now();
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * rate);
      this.last = now;
      if (this.tokens < bytes) {
        await new Promise((resolve) => setTimeout(resolve, ((bytes - this.tokens) / rate) * 1000));
        this.tokens = bytes;
        this.last = performance.now();
      }
      this.tokens -= bytes;
    });
    return this.queue;
  }
}
