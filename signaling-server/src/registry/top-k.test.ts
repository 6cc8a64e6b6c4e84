import { describe, expect, it } from 'vitest';
import { smallestK } from './top-k.ts';

describe('smallestK', () => {
  const byValue = (a: number, b: number) => a - b;

  it('returns the k smallest, sorted', () => {
    const items = Array.from({ length: 1000 }, (_, i) => (i * 7919) % 1000);
    expect(smallestK(items, 5, byValue)).toEqual([0, 1, 2, 3, 4]);
    expect(smallestK(items, 1000, byValue)).toEqual([...items].sort(byValue));
  });

  it('handles k of zero and k beyond the input', () => {
    expect(smallestK([3, 1, 2], 0, byValue)).toEqual([]);
    expect(smallestK([3, 1, 2], 10, byValue)).toEqual([1, 2, 3]);
  });

  it('agrees with a full sort on random input', () => {
    let seed = 1;
    const random = () => (seed = (seed * 16807) % 2147483647);
    const items = Array.from({ length: 5000 }, () => random() % 300);
    for (const k of [1, 7, 50, 299, 4999]) {
      expect(smallestK(items, k, byValue)).toEqual([...items].sort(byValue).slice(0, k));
    }
  });

  it('does not modify its input', () => {
    const items = [5, 4, 3, 2, 1];
    smallestK(items, 2, byValue);
    expect(items).toEqual([5, 4, 3, 2, 1]);
  });
});
