import { describe, expect, it } from 'vitest';
import { FIRST_RETRY_WINDOW_MS, RETRY_MAX_MS, TrackerFailover } from './tracker-failover.ts';

describe('TrackerFailover', () => {
  it('stays on the page’s own tracker when it runs alone', () => {
    const plan = new TrackerFailover('http://a:1', () => 0.5);
    plan.connected('http://a:1', []);
    expect(plan.next()).toEqual({ url: 'http://a:1', delayMs: FIRST_RETRY_WINDOW_MS / 2 });
    expect(plan.next().url).toBe('http://a:1');
  });

  it('moves to the next tracker at once, then goes round the list', () => {
    const plan = new TrackerFailover('http://a:1', () => 0);
    plan.connected('http://b:2', ['http://a:1', 'http://b:2', 'http://c:3']);
    expect(plan.trackers).toEqual(['http://b:2', 'http://a:1', 'http://c:3']);
    expect(plan.next()).toEqual({ url: 'http://a:1', delayMs: 0 });
    expect(plan.next().url).toBe('http://c:3');
    expect(plan.next().url).toBe('http://b:2');
  });

  it('backs off exponentially with jitter, capped, and starts again after a success', () => {
    const draws = [0, 1, 0, 1, 0, 1, 0, 1, 0, 1];
    const plan = new TrackerFailover('http://a:1', () => draws.shift() ?? 0.5);
    plan.connected('http://a:1', ['http://a:1', 'http://b:2']);
    const delays = Array.from({ length: 10 }, () => plan.next().delayMs);
    expect(delays[0]).toBe(0);
    expect(delays[1]).toBe(1000);
    expect(delays[2]).toBe(1000);
    expect(delays[3]).toBe(4000);
    expect(Math.max(...delays)).toBeLessThanOrEqual(RETRY_MAX_MS);
    expect(delays[9]).toBe(RETRY_MAX_MS);
    plan.connected('http://b:2', ['http://a:1', 'http://b:2']);
    expect(plan.next().delayMs).toBeLessThan(FIRST_RETRY_WINDOW_MS);
  });

  it('spreads the first retries of many pages over the window', () => {
    const delays = Array.from({ length: 200 }, () => {
      const plan = new TrackerFailover('http://a:1');
      plan.connected('http://a:1', ['http://a:1', 'http://b:2']);
      return plan.next().delayMs;
    });
    const buckets = new Set(delays.map((delay) => Math.floor(delay / 100)));
    expect(buckets.size).toBeGreaterThanOrEqual(8);
  });
});
