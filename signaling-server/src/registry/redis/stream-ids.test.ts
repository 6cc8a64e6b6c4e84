import { describe, expect, it } from 'vitest';
import { compareStreamIds } from './stream-ids.ts';

describe('compareStreamIds', () => {
  it('orders by time, then by sequence, numerically', () => {
    expect(compareStreamIds('9-0', '10-0')).toBeLessThan(0);
    expect(compareStreamIds('10-2', '10-10')).toBeLessThan(0);
    expect(compareStreamIds('1732000000000-5', '1732000000000-5')).toBe(0);
    expect(compareStreamIds('1732000000001-0', '1732000000000-99')).toBeGreaterThan(0);
    expect(compareStreamIds('0', '0-0')).toBe(0);
  });
});
