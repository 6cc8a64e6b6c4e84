import { describe, expect, it } from 'vitest';
import {
  gallop,
  intersectSorted,
  intersectTwo,
  mergeSorted,
  SortedCursor,
  sortedHas,
  SortedUnion,
} from './sorted-slots.ts';

/** A seeded generator, so a failing case can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    return state / 2 ** 32;
  };
}

function sortedSample(next: () => number, size: number, range: number): Int32Array {
  const slots = new Set<number>();
  while (slots.size < size) slots.add(Math.floor(next() * range));
  return Int32Array.from(slots).sort();
}

describe('gallop', () => {
  it('finds the first index at or after the start holding a slot at least the target', () => {
    const list = Int32Array.of(2, 4, 4, 9, 20, 21, 40);
    expect(gallop(list, 0, 1)).toBe(0);
    expect(gallop(list, 0, 4)).toBe(1);
    expect(gallop(list, 2, 4)).toBe(2);
    expect(gallop(list, 0, 5)).toBe(3);
    expect(gallop(list, 3, 21)).toBe(5);
    expect(gallop(list, 0, 40)).toBe(6);
    expect(gallop(list, 0, 41)).toBe(7);
    expect(gallop(list, 7, 1)).toBe(7);
    expect(gallop(new Int32Array(0), 0, 3)).toBe(0);
  });

  it('agrees with a linear scan everywhere', () => {
    const next = random(7);
    const list = sortedSample(next, 300, 5000);
    for (let trial = 0; trial < 2000; trial++) {
      const from = Math.floor(next() * (list.length + 1));
      const target = Math.floor(next() * 5100) - 50;
      let expected = from;
      while (expected < list.length && (list[expected] as number) < target) expected++;
      expect(gallop(list, from, target)).toBe(expected);
    }
  });
});

describe('intersectSorted and SortedCursor', () => {
  it('keeps the slots of the first list that every other list holds, in order', () => {
    const next = random(11);
    for (let trial = 0; trial < 50; trial++) {
      const lists = [40, 400, 2000].map((size) => sortedSample(next, size, 4000));
      const expected = [...(lists[0] as Int32Array)].filter((slot) => lists.every((list) => list.includes(slot)));
      const out = new Int32Array(40);
      const count = intersectSorted(lists, out);
      expect([...out.subarray(0, count)]).toEqual(expected);
    }
  });

  it('answers membership for increasing slots', () => {
    const cursor = new SortedCursor(Int32Array.of(3, 8, 13, 21));
    expect([1, 3, 5, 8, 9, 21, 30].map((slot) => cursor.has(slot))).toEqual([
      false,
      true,
      false,
      true,
      false,
      true,
      false,
    ]);
  });
});

describe('intersectTwo and sortedHas', () => {
  it('writes the slots both lists hold from the index given, whichever is shorter', () => {
    const next = random(13);
    for (let trial = 0; trial < 50; trial++) {
      const [a, b] = [trial % 2 === 0 ? 30 : 900, trial % 2 === 0 ? 900 : 30].map((size) =>
        sortedSample(next, size, 3000),
      ) as [Int32Array, Int32Array];
      const expected = [...a].filter((slot) => b.includes(slot));
      const out = new Int32Array(50).fill(-1);
      const end = intersectTwo(a, b, out, 5);
      expect(end).toBe(5 + expected.length);
      expect([...out.subarray(5, end)]).toEqual(expected);
      expect([...out.subarray(0, 5)]).toEqual([-1, -1, -1, -1, -1]);
    }
    expect(intersectTwo(new Int32Array(0), Int32Array.of(1, 2), new Int32Array(2), 0)).toBe(0);
  });

  it('finds lone slots in a sorted list', () => {
    const list = Int32Array.of(3, 8, 13, 21);
    expect([0, 3, 5, 8, 13, 20, 21, 22].map((slot) => sortedHas(list, slot))).toEqual([
      false,
      true,
      false,
      true,
      true,
      false,
      true,
      false,
    ]);
    expect(sortedHas(new Int32Array(0), 1)).toBe(false);
  });
});

describe('mergeSorted and SortedUnion', () => {
  it('merges two sorted lists, each slot once, even when a list repeats one', () => {
    const out = new Int32Array(10);
    const count = mergeSorted(Int32Array.of(1, 4, 4, 9), Int32Array.of(0, 4, 5, 9, 12), out);
    expect([...out.subarray(0, count)]).toEqual([0, 1, 4, 5, 9, 12]);
    expect(mergeSorted(new Int32Array(0), new Int32Array(0), out)).toBe(0);
  });

  it('unites any number of lists, reusing its scratch arrays', () => {
    const next = random(5);
    const union = new SortedUnion();
    for (let trial = 0; trial < 30; trial++) {
      const lists = Array.from({ length: 1 + (trial % 6) }, (_, i) => sortedSample(next, 10 + i * 300, 3000));
      const expected = [...new Set(lists.flatMap((list) => [...list]))].sort((a, b) => a - b);
      expect([...union.of(lists)]).toEqual(expected);
    }
    expect([...union.of([])]).toEqual([]);
  });
});
