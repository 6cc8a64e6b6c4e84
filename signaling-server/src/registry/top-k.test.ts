import { describe, expect, it } from 'vitest';
import { KeyedTopK, smallestK, type KeyedOrder } from './top-k.ts';

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

describe('KeyedTopK', () => {
  // Items 0..n-1 with a value each; the keys are coarse views of it (many ties), the comparison the full order.
  let seed = 7;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const values = Array.from({ length: 3000 }, () => Math.floor(random() * 500));
  const compare = (a: number, b: number) => (values[a] as number) - (values[b] as number) || a - b;
  const orders: [string, KeyedOrder][] = [
    ['exact keys', { first: (i) => values[i] as number, second: (i) => i, compare }],
    [
      'coarse keys',
      {
        first: (i) => Math.floor((values[i] as number) / 100),
        second: (i) => Math.floor((values[i] as number) / 10),
        compare,
      },
    ],
    ['no keys at all', { first: () => 0, second: () => 0, compare }],
  ];

  it.each(orders)('keeps the k smallest in order with %s', (_, order) => {
    const items = values.map((_, i) => i);
    const expected = [...items].sort(compare);
    for (const k of [0, 1, 5, 50, 2999, 3000, 5000]) {
      const top = new KeyedTopK(k, order);
      for (const item of items) top.offer(item);
      expect([...top.sorted()]).toEqual(expected.slice(0, k));
    }
  });

  it('serves stream after stream once reset, whatever their k and order', () => {
    const items = values.map((_, i) => i);
    const expected = [...items].sort(compare);
    const top = new KeyedTopK(0, orders[0]![1]);
    for (const [k, [, order]] of [50, 3, 2000, 0, 7].map((k, i) => [k, orders[i % orders.length]!] as const)) {
      top.reset(k, order);
      for (const item of items) top.offer(item);
      expect([...top.sorted()]).toEqual(expected.slice(0, k));
    }
  });

  it('does as well with input already in order and in reverse', () => {
    const [, order] = orders[1] as [string, KeyedOrder];
    const sorted = values.map((_, i) => i).sort(compare);
    for (const input of [sorted, [...sorted].reverse()]) {
      const top = new KeyedTopK(10, order);
      for (const item of input) top.offer(item);
      expect([...top.sorted()]).toEqual(sorted.slice(0, 10));
    }
  });
});
