import { describe, expect, it } from 'vitest';
import { TermSlots } from './term-slots.ts';

const word = (key: string) => ({ key, prefix: false });
const prefix = (key: string) => ({ key, prefix: true });

const found = <V>(slots: TermSlots<V>, text: string): V[] => {
  const buckets: (readonly V[])[] = [];
  slots.collect(text, buckets);
  return buckets.flat();
};

describe('TermSlots', () => {
  it('finds the values of every prefix of a word, shortest first, then of the word itself', () => {
    const slots = new TermSlots<string>();
    slots.add(prefix('su'), 'a');
    slots.add(prefix('sun'), 'b');
    slots.add(prefix('sunset'), 'c');
    slots.add(prefix('sunset'), 'd');
    slots.add(word('sunset'), 'e');
    slots.add(prefix('sea'), 'f');
    slots.add(prefix('🎵'), 'g');
    expect(found(slots, 'sunset')).toEqual(['a', 'b', 'c', 'd', 'e']);
    // A word is found only as a whole: "sunsets" begins with "sunset" but is another word.
    expect(found(slots, 'sunsets')).toEqual(['a', 'b', 'c', 'd']);
    expect(found(slots, 'sunday')).toEqual(['a', 'b']);
    expect(found(slots, 's')).toEqual([]);
    expect(found(slots, 'season')).toEqual(['f']);
    expect(found(slots, '🎵music')).toEqual(['g']);
    expect(slots.size).toBe(7);
  });

  it('removes values, and a term with its last one', () => {
    const slots = new TermSlots<string>();
    slots.add(prefix('sun'), 'a');
    slots.add(prefix('sunset'), 'b');
    slots.add(prefix('sunset'), 'c');
    slots.add(word('sunset'), 'd');
    slots.remove(prefix('sunset'), 'b');
    expect(found(slots, 'sunset')).toEqual(['a', 'c', 'd']);
    slots.remove(prefix('sunset'), 'c');
    slots.remove(prefix('sunset'), 'c');
    slots.remove(prefix('nothing'), 'a');
    // Filed as a word, not as a prefix: removing the prefix leaves it.
    slots.remove(prefix('sunset'), 'd');
    expect(found(slots, 'sunset')).toEqual(['a', 'd']);
    slots.remove(word('sunset'), 'd');
    slots.remove(prefix('sun'), 'a');
    expect(found(slots, 'sunset')).toEqual([]);
    expect(slots.size).toBe(0);
  });

  it('finds every filed term among thousands, and little else', () => {
    const slots = new TermSlots<number>();
    const terms = Array.from({ length: 5000 }, (_, n) => `w${n.toString(36)}x`);
    terms.forEach((term, n) => slots.add(n % 2 === 0 ? word(term) : prefix(term), n));
    terms.forEach((term, n) => expect(found(slots, `${term}${n % 2 === 0 ? '' : 'tail'}`)).toContain(n));
    // Hash collisions may add a value that does not belong; they are rare.
    const strays = terms.reduce((sum, term) => sum + found(slots, `q${term}`).length, 0);
    expect(strays).toBeLessThan(50);
  });
});
