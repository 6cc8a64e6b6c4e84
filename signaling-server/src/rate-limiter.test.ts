import { describe, expect, it } from 'vitest';
import { TokenBucket } from './rate-limiter.ts';

describe('TokenBucket', () => {
  it('allows a burst, then refuses until tokens refill', () => {
    let now = 0;
    const bucket = new TokenBucket({ perSecond: 10, burst: 3 }, () => now);
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, true, false]);
    now += 50; // half a token
    expect(bucket.take()).toBe(false);
    now += 60; // a little over one token in all
    expect(bucket.take()).toBe(true);
    expect(bucket.take()).toBe(false);
  });

  it('never holds more than the burst', () => {
    let now = 0;
    const bucket = new TokenBucket({ perSecond: 100, burst: 2 }, () => now);
    now += 60_000;
    expect([bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, false]);
  });

  it('sustains the configured rate', () => {
    let now = 0;
    const bucket = new TokenBucket({ perSecond: 20, burst: 1 }, () => now);
    let allowed = 0;
    for (let ms = 0; ms < 10_000; ms += 5) {
      now = ms;
      if (bucket.take()) allowed++;
    }
    expect(allowed).toBeGreaterThanOrEqual(199);
    expect(allowed).toBeLessThanOrEqual(201);
  });
});
