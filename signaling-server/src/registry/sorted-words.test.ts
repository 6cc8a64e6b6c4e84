import { describe, expect, it } from 'vitest';
import { SortedWords } from './sorted-words.ts';

const sorted = (words: string[]) => [...words].sort();

describe('SortedWords', () => {
  it('finds words by prefix', () => {
    const words = new SortedWords();
    for (const word of ['banana', 'band', 'apple', 'bandana', 'ban', 'cherry']) words.add(word);
    expect(sorted(words.withPrefix('ban'))).toEqual(['ban', 'banana', 'band', 'bandana']);
    expect(sorted(words.withPrefix('band'))).toEqual(['band', 'bandana']);
    expect(words.withPrefix('bx')).toEqual([]);
    expect(words.withPrefix('')).toHaveLength(6);
    expect(words.size).toBe(6);
  });

  it('ignores duplicate adds and absent deletes', () => {
    const words = new SortedWords();
    words.add('x');
    words.add('x');
    words.delete('y');
    expect(words.size).toBe(1);
  });

  it('handles non-ASCII words and emoji', () => {
    const words = new SortedWords();
    for (const word of ['🎵music', '🎵', 'ñu', 'ñandu', '日本語', '日本']) words.add(word);
    expect(sorted(words.withPrefix('🎵'))).toEqual(sorted(['🎵music', '🎵']));
    expect(sorted(words.withPrefix('ñ'))).toEqual(['ñandu', 'ñu']);
    expect(sorted(words.withPrefix('日本'))).toEqual(sorted(['日本語', '日本']));
  });

  it('stays exact through merges, removals, compaction and re-adds', () => {
    const words = new SortedWords();
    const live = new Set<string>();
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let step = 0; step < 30_000; step++) {
      const word = `w${Math.floor(random() * 5000).toString(36)}`;
      if (random() < 0.6) {
        words.add(word);
        live.add(word);
      } else {
        words.delete(word);
        live.delete(word);
      }
      if (step % 2500 === 0) {
        for (const prefix of ['w', 'w1', 'wa', 'w3z']) {
          expect(sorted(words.withPrefix(prefix))).toEqual(sorted([...live].filter((w) => w.startsWith(prefix))));
        }
      }
    }
    expect(words.size).toBe(live.size);
    expect(sorted(words.withPrefix(''))).toEqual(sorted([...live]));
  });
});
