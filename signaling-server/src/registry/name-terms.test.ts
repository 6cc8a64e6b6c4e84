import { nameWordsMatch, parseSearchQuery, tokenize, type SearchQuery } from '@shoal/common';
import { describe, expect, it } from 'vitest';
import { NameTermsMatcher } from './name-terms.ts';

function parse(text: string): SearchQuery {
  const parsed = parseSearchQuery(text);
  if (!parsed.ok) throw new Error(parsed.hint);
  return parsed.query;
}

describe('NameTermsMatcher', () => {
  it('matches words whole, the last as a prefix, phrases in order, and no exclusion', () => {
    const name = 'Quarterly_Report 2019 (final).PDF';
    const matches = (text: string) => new NameTermsMatcher(parse(text)).matches(name);
    expect(matches('report quarterly')).toBe(true);
    expect(matches('report quart')).toBe(true);
    expect(matches('repor quarterly')).toBe(false);
    expect(matches('report arterly')).toBe(false);
    expect(matches('"quarterly report"')).toBe(true);
    expect(matches('"report quarterly"')).toBe(false);
    expect(matches('"report 2019" fin')).toBe(true);
    expect(matches('report -final')).toBe(false);
    expect(matches('report -"2019 final" pdf')).toBe(false);
    expect(matches('report -"final 2019" pdf')).toBe(true);
    expect(matches('pdf')).toBe(true);
    expect(matches('ångström')).toBe(false);
  });

  it('agrees with splitting the name, on names and queries of every sort', () => {
    let seed = 99;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
    const words = ['love', 'Lovely', 'LOVE', 'night', 'ni', 'Ångström', 'angstrom', 'café', 'x', '2019', '日本'];
    const separators = [' ', '_', '-', '.', ' - ', '(', ') ', '  '];
    const name = () => {
      let out = pick(words);
      for (let n = Math.floor(random() * 5); n > 0; n--) out += pick(separators) + pick(words);
      return random() < 0.5 ? `${out}.mp3` : out;
    };
    const term = () => {
      const word = pick(words);
      const roll = random();
      if (roll < 0.2) return `"${word} ${pick(words)}"`;
      if (roll < 0.35) return `-${word}`;
      if (roll < 0.45) return `-"${word} ${pick(words)}"`;
      return word;
    };
    let checked = 0;
    for (let q = 0; q < 300; q++) {
      const text = Array.from({ length: 1 + Math.floor(random() * 3) }, term).join(' ');
      const parsed = parseSearchQuery(text);
      if (!parsed.ok) continue;
      const matcher = new NameTermsMatcher(parsed.query);
      for (let n = 0; n < 20; n++) {
        const candidate = name();
        expect(matcher.matches(candidate), `${text} in ${candidate}`).toBe(
          nameWordsMatch(parsed.query, tokenize(candidate)),
        );
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(5000);
  });
});
