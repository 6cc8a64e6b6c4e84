import { holdsSequence, tokenize } from '@shoal/common';
import { describe, expect, it } from 'vitest';
import { PhraseMatcher } from './phrase-matcher.ts';

describe('PhraseMatcher', () => {
  it.each([
    ['Sea View.jpg', ['sea', 'view'], true],
    ['sea_view', ['sea', 'view'], true],
    ['sea--view', ['sea', 'view'], true],
    ['seaview', ['sea', 'view'], false],
    ['overseas view', ['sea', 'view'], false],
    ['sea viewing', ['sea', 'view'], false],
    ['the sea view', ['sea', 'view'], true],
    ['love love love', ['love', 'love'], true],
    ['love me love', ['love', 'love'], false],
    ['c++ primer', ['c++', 'primer'], true],
    ['a$b c', ['a$b', 'c'], true],
    ['Mer vüe', ['mer', 'vue'], true],
    ['ÅNGSTRÖM units', ['angstrom', 'units'], true],
    ['x<y>z', ['x', 'y', 'z'], true],
    ['1+1=2 [draft]', ['1+1', '2', 'draft'], true],
    ['price $5 {net}', ['$5', 'net'], true],
  ])('%j holds %j: %s', (name, words, expected) => {
    expect(new PhraseMatcher(words).heldBy(name)).toBe(expected);
    expect(holdsSequence(tokenize(name), words)).toBe(expected);
  });

  it('agrees with tokenize on random text', () => {
    let seed = 3;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const pieces = [
      'a',
      'b',
      'ab',
      'A',
      'B',
      ' ',
      '_',
      '.',
      '-',
      '+',
      '$',
      '(',
      ')',
      '|',
      '~',
      '\t',
      'é',
      'É',
      '1',
      '*',
      '?',
    ];
    const text = (n: number) => Array.from({ length: n }, () => pieces[Math.floor(random() * pieces.length)]).join('');
    for (let i = 0; i < 5000; i++) {
      const name = text(1 + Math.floor(random() * 12));
      const phrase = tokenize(text(1 + Math.floor(random() * 6)));
      if (phrase.length === 0) continue;
      expect(new PhraseMatcher(phrase).heldBy(name), `${JSON.stringify(name)} ${JSON.stringify(phrase)}`).toBe(
        holdsSequence(tokenize(name), phrase),
      );
    }
  });
});
