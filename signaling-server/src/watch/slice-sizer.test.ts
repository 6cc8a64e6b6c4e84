import { describe, expect, it } from 'vitest';
import { SliceSizer } from './slice-sizer.ts';

describe('SliceSizer', () => {
  const limits = { minMs: 1, maxMs: 100, maxBacklog: 1000 };

  it('gives watches a tenth of the other work while the backlog is short, within its bounds', () => {
    const sizer = new SliceSizer(limits, 0);
    expect(sizer.length(50, 10)).toBe(5);
    expect(sizer.length(5, 10)).toBe(1);
    expect(sizer.length(5000, 10)).toBe(100);
    sizer.ended(5000);
    expect(sizer.length(5030, 500)).toBeCloseTo(3);
  });

  it('gives more as the backlog fills past half, up to as long as the other work when full', () => {
    const sizer = new SliceSizer(limits, 0);
    expect(sizer.length(40, 750)).toBeCloseTo(40 * 0.55);
    expect(sizer.length(40, 1000)).toBe(40);
    expect(sizer.length(40, 5000)).toBe(40);
  });
});
