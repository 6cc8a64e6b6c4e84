import { describe, expect, it } from 'vitest';
import { mostCommon, mostCommonNames, ValueTally } from './result-tallies.ts';
import { smallestK } from './top-k.ts';

/** What the registry did before: every entry sorted by count, then name, the first `k` kept. */
function reference(counts: Map<string, number>, k: number): string[] {
  const byCount = (a: [string, number], b: [string, number]): number =>
    b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
  return smallestK([...counts], k, byCount).map(([name]) => name);
}

/** A small deterministic generator (tests stay reproducible). */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

describe('mostCommonNames', () => {
  it('lists the most common names first, ties by name, at most k', () => {
    const counts = new Map([
      ['b.jpg', 2],
      ['a.jpg', 2],
      ['c.jpg', 5],
      ['d.jpg', 1],
    ]);
    expect(mostCommonNames(counts, 3)).toEqual(['c.jpg', 'a.jpg', 'b.jpg']);
    expect(mostCommonNames(counts, 10)).toEqual(['c.jpg', 'a.jpg', 'b.jpg', 'd.jpg']);
    expect(mostCommonNames(counts, 0)).toEqual([]);
    expect(mostCommonNames(new Map([['only', 3]]), 5)).toEqual(['only']);
    expect(mostCommonNames(new Map(), 5)).toEqual([]);
  });

  it('agrees with sorting every entry, whatever the counts and insertion order', () => {
    const random = seeded(7);
    for (let round = 0; round < 500; round++) {
      const counts = new Map<string, number>();
      const size = 1 + Math.floor(random() * 20);
      for (let i = 0; i < size; i++) counts.set(`n${Math.floor(random() * 40)}`, 1 + Math.floor(random() * 4));
      const k = Math.floor(random() * 7);
      expect(mostCommonNames(counts, k)).toEqual(reference(counts, k));
    }
  });

  it('returns a fresh array each time', () => {
    const counts = new Map([
      ['x', 1],
      ['y', 2],
    ]);
    const first = mostCommonNames(counts, 5);
    const second = mostCommonNames(new Map([['z', 1]]), 5);
    expect(first).toEqual(['y', 'x']);
    expect(second).toEqual(['z']);
  });
});

describe('ValueTally', () => {
  it('answers the most common value, ties to the smallest, nothing when empty', () => {
    const tally = new ValueTally();
    tally.reset();
    expect(tally.mostCommon()).toBeUndefined();
    for (const value of ['video/mp4', 'video/webm', 'video/webm', 'video/mp4']) tally.add(value);
    expect(tally.mostCommon()).toBe('video/mp4');
    tally.add('video/webm');
    expect(tally.mostCommon()).toBe('video/webm');
  });

  it('starts over on reset', () => {
    const tally = new ValueTally();
    tally.add('a');
    tally.add('b');
    tally.add('b');
    tally.reset();
    tally.add('c');
    expect(tally.mostCommon()).toBe('c');
    tally.reset();
    expect(tally.mostCommon()).toBeUndefined();
  });

  it('agrees with counting in a Map', () => {
    const random = seeded(11);
    const tally = new ValueTally();
    for (let round = 0; round < 300; round++) {
      tally.reset();
      const counts = new Map<string, number>();
      const values = Math.floor(random() * 12);
      for (let i = 0; i < values; i++) {
        const value = `t${Math.floor(random() * 4)}`;
        tally.add(value);
        counts.set(value, (counts.get(value) ?? 0) + 1);
      }
      expect(tally.mostCommon()).toBe(mostCommon(counts));
    }
  });
});
