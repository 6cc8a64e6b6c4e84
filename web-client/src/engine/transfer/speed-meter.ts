/** Bytes per second over a sliding window, for the speed and time-left a transfer shows. */
export class SpeedMeter {
  private readonly samples: { at: number; bytes: number }[] = [];

  constructor(private readonly windowMs = 3_000) {}

  record(bytes: number, now = performance.now()): void {
    this.samples.push({ at: now, bytes });
    this.trim(now);
  }

  bytesPerSecond(now = performance.now()): number {
    this.trim(now);
    const first = this.samples[0];
    if (!first) return 0;
    const total = this.samples.reduce((sum, sample) => sum + sample.bytes, 0);
    // A young window is measured over its own span, but never less than half a second, to avoid wild first readings.
    const span = Math.max(500, Math.min(this.windowMs, now - first.at));
    return (total * 1000) / span;
  }

  reset(): void {
    this.samples.length = 0;
  }

  private trim(now: number): void {
    while (this.samples.length > 0 && now - (this.samples[0]?.at ?? now) > this.windowMs) this.samples.shift();
  }
}
