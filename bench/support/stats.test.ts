import { describe, expect, it } from 'vitest';
import { median, round } from './stats.ts';

describe('bench statistics', () => {
  it('takes the median of odd and even counts without reordering the input', () => {
    const values = [3, 1, 2];
    expect(median(values)).toBe(2);
    expect(values).toEqual([3, 1, 2]);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('rounds for reports', () => {
    expect(round(1.23456, 2)).toBe(1.23);
    expect(round(0.8999, 3)).toBe(0.9);
  });
});
