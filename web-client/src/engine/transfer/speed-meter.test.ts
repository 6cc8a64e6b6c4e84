import { describe, expect, it } from 'vitest';
import { SpeedMeter } from './speed-meter.ts';

describe('SpeedMeter', () => {
  it('measures bytes per second over its window', () => {
    const meter = new SpeedMeter(3_000);
    meter.record(1_000_000, 0);
    meter.record(1_000_000, 1_000);
    meter.record(1_000_000, 2_000);
    expect(meter.bytesPerSecond(2_000)).toBe(1_500_000);
  });

  it('forgets samples older than the window', () => {
    const meter = new SpeedMeter(1_000);
    meter.record(5_000_000, 0);
    meter.record(1_000, 2_000);
    expect(meter.bytesPerSecond(2_500)).toBe(2_000);
  });

  it('reads zero with no samples', () => {
    expect(new SpeedMeter().bytesPerSecond(10)).toBe(0);
  });
});
