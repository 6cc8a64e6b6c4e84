import { describe, expect, it } from 'vitest';
import { markOf, TermSlots, type Bucket } from './term-slots.ts';

const word = (key: string) => ({ key, prefix: false });
const prefix = (key: string) => ({ key, prefix: true });

const found = <V>(slots: TermSlots<V>, text: string): V[] => {
  const buckets: Bucket<V>[] = [];
  slots.collect(text, buckets);
  return buckets.flatMap((bucket) => bucket.values);
};

describe('TermSlots', () => {
  it('finds the values of every prefix of a word, shortest first, then of the word itself', () => {
    const slots = new TermSlots<string>();
    slots.add(prefix('su'), 'a', 0);
    slots.add(prefix('sun'), 'b', 0);
    slots.add(prefix('sunset'), 'c', 0);
    slots.add(prefix('sunset'), 'd', 0);
    slots.add(word('sunset'), 'e', 0);
    slots.add(prefix('sea'), 'f', 0);
    slots.add(prefix('🎵'), 'g', 0);
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
    slots.add(prefix('sun'), 'a', 0);
    slots.add(prefix('sunset'), 'b', 0);
    slots.add(prefix('sunset'), 'c', 0);
    slots.add(word('sunset'), 'd', 0);
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
    terms.forEach((term, n) => slots.add(n % 2 === 0 ? word(term) : prefix(term), n, 0));
    terms.forEach((term, n) => expect(found(slots, `${term}${n % 2 === 0 ? '' : 'tail'}`)).toContain(n));
    // Hash collisions may add a value that does not belong; they are rare.
    const strays = terms.reduce((sum, term) => sum + found(slots, `q${term}`).length, 0);
    expect(strays).toBeLessThan(50);
  });

  it('marks a name with every term a query needs, and tells most missing ones apart', () => {
    const slots = new TermSlots<string>();
    const marksOf = (name: string): number => name.split(' ').reduce((mark, text) => mark | slots.collect(text, []), 0);
    const name = marksOf('sunset beach 2024 jpg');
    const holds = (words: string[], prefix: string | null): boolean => (markOf(words, prefix) & ~name) === 0;
    expect(holds(['sunset', 'beach'], null)).toBe(true);
    expect(holds(['beach'], 'sun')).toBe(true);
    // A first look only: a prefix is marked by its first three letters, so "sunsets…" passes it on "sunset".
    expect(holds([], 'sunsets')).toBe(true);
    expect(holds(['2024'], 'be')).toBe(true);
    const missing = Array.from({ length: 1000 }, (_, n) => `w${n}`).filter((text) => !holds([text], null));
    expect(missing.length).toBeGreaterThan(500);
  });
});
