import { describe, expect, it } from 'vitest';
import { PrefixTrie } from './prefix-trie.ts';

const found = (trie: PrefixTrie<string>, word: string): string[] => {
  const values: string[] = [];
  trie.forPrefixesOf(word, (list) => values.push(...list));
  return values;
};

describe('PrefixTrie', () => {
  it('finds the values of every prefix of a word, shortest first', () => {
    const trie = new PrefixTrie<string>();
    trie.add('su', 'a');
    trie.add('sun', 'b');
    trie.add('sunset', 'c');
    trie.add('sunset', 'd');
    trie.add('sea', 'e');
    trie.add('🎵', 'f');
    expect(found(trie, 'sunsets')).toEqual(['a', 'b', 'c', 'd']);
    expect(found(trie, 'sunday')).toEqual(['a', 'b']);
    expect(found(trie, 's')).toEqual([]);
    expect(found(trie, 'season')).toEqual(['e']);
    expect(found(trie, '🎵music')).toEqual(['f']);
    expect(trie.size).toBe(5);
  });

  it('removes values, and prefixes with their last one', () => {
    const trie = new PrefixTrie<string>();
    trie.add('sun', 'a');
    trie.add('sunset', 'b');
    trie.add('sunset', 'c');
    trie.remove('sunset', 'b');
    expect(found(trie, 'sunset')).toEqual(['a', 'c']);
    trie.remove('sunset', 'c');
    trie.remove('sunset', 'c');
    trie.remove('nothing', 'a');
    expect(found(trie, 'sunset')).toEqual(['a']);
    expect(trie.size).toBe(1);
    trie.remove('sun', 'a');
    expect(found(trie, 'sunset')).toEqual([]);
    expect(trie.size).toBe(0);
  });
});
