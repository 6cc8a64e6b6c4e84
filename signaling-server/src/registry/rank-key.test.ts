import { describe, expect, it } from 'vitest';
import { nameKey, NO_BONUS, rankKey, rankTail } from './rank-key.ts';

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

describe('rankTail', () => {
  it('never orders two files of equal rank keys against the full ranking', () => {
    let seed = 5;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    // Mostly one holder, as most files have: equal rank keys are then common.
    const counts = [1, 1, 1, 1, 1, 1, 0, 127, 4095, 5000];
    const starts = ['img_', 'img ', 'imh_', 'img', 'im', 'ié_x', 'abcd', ''];
    const ends = ['', '0', '1', '2011 044.jpg', '2011 316.jpg', '20110603_123456.jpg', 'é', '\uffff', 'zz'];
    const file = () => ({
      holders: counts[Math.floor(random() * counts.length)] as number,
      partial: counts[Math.floor(random() * counts.length)] as number,
      name:
        (starts[Math.floor(random() * starts.length)] as string) + (ends[Math.floor(random() * ends.length)] as string),
    });
    const before = (a: ReturnType<typeof file>, b: ReturnType<typeof file>) =>
      b.holders - a.holders || b.partial - a.partial || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
    let told = 0;
    for (let i = 0; i < 50_000; i++) {
      const a = file();
      const b = file();
      if (rankKey(a.holders, a.partial, nameKey(a.name)) !== rankKey(b.holders, b.partial, nameKey(b.name))) continue;
      const [tailA, tailB] = [rankTail(a.holders, a.partial, a.name), rankTail(b.holders, b.partial, b.name)];
      if (tailA < tailB) {
        told++;
        expect(before(a, b), JSON.stringify([a, b])).toBeLessThan(0);
      }
    }
    // It does tell many apart (names that start alike).
    expect(told).toBeGreaterThan(20);
  });
});
