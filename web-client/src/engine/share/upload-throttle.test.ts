import { describe, expect, it } from 'vitest';
import { UploadThrottle } from './upload-throttle.ts';

describe('UploadThrottle', () => {
  it('lets everything through at once without a cap', async () => {
    const throttle = new UploadThrottle(null);
    const start = performance.now();
    for (let i = 0; i < 100; i++) await throttle.take(1024 * 1024);
    expect(performance.now() - start).toBeLessThan(50);
  });

  it('holds a sender to the cap after the burst', async () => {
    const throttle = new UploadThrottle(1024 * 1024); // 1 MiB/s, 256 KiB burst
    const start = performance.now();
    for (let i = 0; i < 5; i++) await throttle.take(64 * 1024); // 320 KiB: 64 KiB over the burst
    const elapsed = performance.now() - start;
    expect(elapsed).toBeGreaterThan(50);
    expect(elapsed).toBeLessThan(500);
  });
});
