import { describe, expect, it } from 'vitest';
import { addSize, removeSize, shownSize, type SizeTally } from './size-tally.ts';

describe('size tally', () => {
  it('shows the most common size as holdings come and go, ties to the smaller', () => {
    const tally: SizeTally = { firstSize: 100, otherSizes: undefined };
    let holdings = 1;
    const add = (size: number) => {
      addSize(tally, size);
      holdings++;
    };
    const remove = (size: number) => {
      removeSize(tally, size);
      holdings--;
    };
    expect(shownSize(tally, holdings)).toBe(100);
    add(100);
    add(7);
    expect(shownSize(tally, holdings)).toBe(100);
    add(7);
    // 100 twice, 7 twice: the smaller.
    expect(shownSize(tally, holdings)).toBe(7);
    remove(100);
    remove(100);
    // The first size may have no holding left.
    expect(shownSize(tally, holdings)).toBe(7);
    remove(7);
    remove(7);
    expect(tally.otherSizes).toBeUndefined();
    add(100);
    expect(shownSize(tally, holdings)).toBe(100);
  });

  it('agrees with counting every holding on random changes', () => {
    let seed = 3;
    const next = () => (seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0) / 2 ** 32;
    const held: number[] = [500];
    const tally: SizeTally = { firstSize: 500, otherSizes: undefined };
    for (let step = 0; step < 2000; step++) {
      if (held.length > 1 && next() < 0.45) {
        const [size] = held.splice(Math.floor(next() * held.length), 1);
        removeSize(tally, size as number);
      } else {
        const size = [500, 500, 500, 20, 9000][Math.floor(next() * 5)] as number;
        held.push(size);
        addSize(tally, size);
      }
      const counts = new Map<number, number>();
      for (const size of held) counts.set(size, (counts.get(size) ?? 0) + 1);
      const expected = [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]![0];
      expect(shownSize(tally, held.length)).toBe(expected);
    }
  });
});
