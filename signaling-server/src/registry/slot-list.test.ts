import { describe, expect, it } from 'vitest';
import { SlotList, sortedSlots } from './slot-list.ts';

describe('SlotList', () => {
  it('keeps slots sorted whatever the order they come and go in', () => {
    const list = SlotList.of([5, 1, 9]);
    list.add(12);
    list.add(3);
    list.delete(9);
    expect(list.size).toBe(4);
    expect([...list.sorted()]).toEqual([1, 3, 5, 12]);
    list.delete(12);
    list.add(9);
    expect([...list.sorted()]).toEqual([1, 3, 5, 9]);
  });

  it('agrees with a set through random additions and deletions, read at random times', () => {
    let seed = 99;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (const range of [50, 2000]) {
      const list = new SlotList();
      const oracle = new Set<number>();
      let next = 0;
      for (let step = 0; step < 20_000; step++) {
        const roll = random();
        if (roll < 0.4) {
          // Mostly growing slots (new files), as the index hands them out.
          const slot = next < range ? next++ : Math.floor(random() * range);
          if (!oracle.has(slot)) {
            oracle.add(slot);
            list.add(slot);
          }
        } else if (roll < 0.75) {
          const slot = Math.floor(random() * range);
          if (!oracle.has(slot)) {
            oracle.add(slot);
            list.add(slot);
          }
        } else if (roll < 0.99) {
          const slot = Math.floor(random() * range);
          if (oracle.has(slot)) {
            oracle.delete(slot);
            list.delete(slot);
          }
        } else {
          expect([...list.sorted()]).toEqual([...oracle].sort((a, b) => a - b));
        }
        expect(list.size).toBe(oracle.size);
      }
      expect([...list.sorted()]).toEqual([...oracle].sort((a, b) => a - b));
    }
  });

  it('sorts slots numerically', () => {
    expect([...sortedSlots(new Set([10, 9, 100, 1]))]).toEqual([1, 9, 10, 100]);
  });
});
