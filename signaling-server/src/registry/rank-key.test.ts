import { describe, expect, it } from 'vitest';
import { NO_BONUS, rankKey } from './rank-key.ts';
import { nameKey } from './search-index.ts';

describe('rankKey', () => {
  it('never orders two files against the full ranking', () => {
    let seed = 11;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const counts = [0, 1, 2, 3, 126, 127, 128, 4094, 4095, 4096, 10_000];
    const names = ['', 'a', 'ab', 'abc', 'abcdefgh', 'b', 'zz', 'é', '日本'];
    const file = () => ({
      holders: counts[Math.floor(random() * counts.length)] as number,
      partial: counts[Math.floor(random() * counts.length)] as number,
      name: names[Math.floor(random() * names.length)] as string,
      bonus: random() < 0.5 ? 1 : 0,
    });
    // The full ranking: bonus, more holders, more partial holders, name.
    const before = (a: ReturnType<typeof file>, b: ReturnType<typeof file>) =>
      b.bonus - a.bonus ||
      b.holders - a.holders ||
      b.partial - a.partial ||
      (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
    const key = (f: ReturnType<typeof file>) =>
      rankKey(f.holders, f.partial, nameKey(f.name)) + (f.bonus ? 0 : NO_BONUS);
    for (let i = 0; i < 50_000; i++) {
      const a = file();
      const b = file();
      if (key(a) < key(b)) expect(before(a, b), JSON.stringify([a, b])).toBeLessThan(0);
      expect(Number.isSafeInteger(key(a))).toBe(true);
    }
  });

  it('tells apart what usually differs', () => {
    expect(rankKey(2, 0, nameKey('b'))).toBeLessThan(rankKey(1, 0, nameKey('a')));
    expect(rankKey(1, 1, nameKey('b'))).toBeLessThan(rankKey(1, 0, nameKey('a')));
    expect(rankKey(1, 0, nameKey('a'))).toBeLessThan(rankKey(1, 0, nameKey('b')));
  });
});
