import { describe, expect, it } from 'vitest';
import { SortedWords, type VocabularyEntry } from './sorted-words.ts';

const sorted = (words: string[]) => [...words].sort();

/** SortedWords by word, the way the search index drives it: one entry per live word. */
class Words {
  private readonly entries = new Map<string, VocabularyEntry>();
  readonly sorted = new SortedWords<VocabularyEntry>();

  get size(): number {
    return this.sorted.size;
  }

  add(word: string): void {
    if (this.entries.has(word)) return;
    const entry = { word, removed: false };
    this.entries.set(word, entry);
    this.sorted.add(entry);
  }

  delete(word: string): void {
    const entry = this.entries.get(word);
    if (!entry) return;
    this.entries.delete(word);
    this.sorted.delete(entry);
  }

  withPrefix(prefix: string): string[] {
    return this.sorted.withPrefix(prefix).map((entry) => entry.word);
  }
}

describe('SortedWords', () => {
  it('finds words by prefix', () => {
    const words = new Words();
    for (const word of ['banana', 'band', 'apple', 'bandana', 'ban', 'cherry']) words.add(word);
    expect(sorted(words.withPrefix('ban'))).toEqual(['ban', 'banana', 'band', 'bandana']);
    expect(sorted(words.withPrefix('band'))).toEqual(['band', 'bandana']);
    expect(words.withPrefix('bx')).toEqual([]);
    expect(words.withPrefix('')).toHaveLength(6);
    expect(words.size).toBe(6);
  });

  it('ignores duplicate adds and absent deletes', () => {
    const words = new SortedWords<VocabularyEntry>();
    const x = { word: 'x', removed: false };
    words.add(x);
    words.add(x);
    words.add({ word: 'x', removed: false });
    words.delete({ word: 'y', removed: false });
    words.delete({ word: 'x', removed: false }); // another entry with the word: not the one in
    expect(words.size).toBe(1);
    expect(words.withPrefix('x')).toEqual([x]);
    words.delete(x);
    words.delete(x);
    expect(words.size).toBe(0);
    expect(words.withPrefix('')).toEqual([]);
  });

  it('finds prefixes ending in the highest code unit', () => {
    const words = new Words();
    for (const word of ['a\uffff', 'a\uffffb', 'b']) words.add(word);
    expect(sorted(words.withPrefix('a\uffff'))).toEqual(['a\uffff', 'a\uffffb']);
  });

  it('handles non-ASCII words and emoji', () => {
    const words = new Words();
    for (const word of ['🎵music', '🎵', 'ñu', 'ñandu', '日本語', '日本']) words.add(word);
    expect(sorted(words.withPrefix('🎵'))).toEqual(sorted(['🎵music', '🎵']));
    expect(sorted(words.withPrefix('ñ'))).toEqual(['ñandu', 'ñu']);
    expect(sorted(words.withPrefix('日本'))).toEqual(sorted(['日本語', '日本']));
  });

  it('stays exact through block splits, removals and re-adds', () => {
    const words = new Words();
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
