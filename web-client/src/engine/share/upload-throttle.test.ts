import { describe, expect, it } from 'vitest';
import { UploadThrottle } from './upload-throttle.ts';

const KiB = 1024;
const MiB = 1024 * KiB;

/** Milliseconds `sends` chunks of `bytes` take through `throttle`, one after the other. */
async function timeSends(throttle: UploadThrottle, sends: number, bytes: number): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < sends; i++) await throttle.take(bytes);
  return performance.now() - start;
}

describe('UploadThrottle', () => {
  it('lets everything through at once without a cap, and says it is not limited', async () => {
    const throttle = new UploadThrottle(null);
    expect(throttle.limited).toBe(false);
    expect(await timeSends(throttle, 100, MiB)).toBeLessThan(50);
  });

  it('holds a sender to the cap after the burst', async () => {
    const throttle = new UploadThrottle(MiB); // 1 MiB/s, 256 KiB burst
    expect(throttle.limited).toBe(true);
    // 576 KiB: 320 KiB past the burst, so about 300 ms.
    const elapsed = await timeSends(throttle, 9, 64 * KiB);
    expect(elapsed).toBeGreaterThan(250);
    expect(elapsed).toBeLessThan(700);
  });

  it('serves waiting senders in the order they asked', async () => {
    const throttle = new UploadThrottle(MiB);
    await throttle.take(256 * KiB); // the burst is spent
    const order: number[] = [];
    await Promise.all([1, 2, 3].map((n) => throttle.take(32 * KiB).then(() => order.push(n))));
    expect(order).toEqual([1, 2, 3]);
  });

  it('releases a waiting sender at once when the cap is lifted', async () => {
    const throttle = new UploadThrottle(64 * KiB);
    await throttle.take(64 * KiB); // the burst
    await throttle.take(64 * KiB); // goes out on what trickled in meanwhile, leaving a second's debt
    const start = performance.now();
    const waiting = throttle.take(64 * KiB); // a second's wait at the cap
    setTimeout(() => throttle.setRate(null), 50);
    await waiting;
    expect(performance.now() - start).toBeLessThan(400);
    expect(throttle.limited).toBe(false);
  });

  it('applies a raised or lowered cap to the sends that follow', async () => {
    const throttle = new UploadThrottle(256 * KiB); // 64 KiB burst
    throttle.setRate(4 * MiB);
    // 1 MiB: ~240 ms at 4 MiB/s (it would take ~4 s at the old cap).
    const fast = await timeSends(throttle, 8, 128 * KiB);
    throttle.setRate(MiB); // what is left of the burst is cut to the new one (256 KiB)
    // 640 KiB: at least 384 KiB past the burst at 1 MiB/s, ~375 ms.
    const slow = await timeSends(throttle, 5, 128 * KiB);
    expect(fast).toBeGreaterThan(150);
    expect(fast).toBeLessThan(1_500);
    expect(slow).toBeGreaterThan(300);
  });

  it('refuses a cap that is not a positive number', () => {
    for (const bad of [0, -1, NaN, Infinity]) expect(() => new UploadThrottle(bad), String(bad)).toThrow(RangeError);
  });

  it('sends smaller chunks under a low cap, whole ones under a high cap or none', () => {
    expect(new UploadThrottle(null).chunkSize(256 * KiB)).toBe(256 * KiB);
    expect(new UploadThrottle(100 * MiB).chunkSize(256 * KiB)).toBe(256 * KiB);
    expect(new UploadThrottle(MiB).chunkSize(256 * KiB)).toBe(128 * KiB);
    expect(new UploadThrottle(32 * KiB).chunkSize(256 * KiB)).toBe(16 * KiB);
  });
});
