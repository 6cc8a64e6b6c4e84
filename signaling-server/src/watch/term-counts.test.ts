import { describe, expect, it } from 'vitest';
import { TermCounts } from './term-counts.ts';

describe('TermCounts', () => {
  it('counts words and the words beginning with a prefix, never fewer than seen', () => {
    const counts = new TermCounts();
    counts.see(['sunset', 'beach']);
    counts.see(['sunset', 'sun']);
    counts.see(['sunday']);
    expect(counts.word('sunset')).toBe(2);
    expect(counts.word('sun')).toBe(1);
    expect(counts.word('beach')).toBe(1);
    expect(counts.word('rome')).toBe(0);
    expect(counts.prefix('sun')).toBe(4);
    expect(counts.prefix('suns')).toBe(2);
    expect(counts.prefix('b')).toBe(1);
    expect(counts.prefix('x')).toBe(0);
  });

  it('stays close to the truth over many words', () => {
    const counts = new TermCounts();
    for (let n = 0; n < 20_000; n++) counts.see([`word${n}`, 'common']);
    expect(counts.word('common')).toBe(20_000);
    let over = 0;
    for (let n = 0; n < 20_000; n++) over += counts.word(`word${n}`) - 1;
    expect(over / 20_000).toBeLessThan(0.1);
  });
});
