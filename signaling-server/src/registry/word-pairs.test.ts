import { tokenize } from '@shoal/common';
import { describe, expect, it } from 'vitest';
import { addPairs, mayHold, pairBits } from './word-pairs.ts';

describe('word pairs', () => {
  it('never rules out a phrase a name holds', () => {
    const names = ['Sea view at dawn.jpg', 'the sea, the view', 'a b c d e f g h i j k l'];
    for (const name of names) {
      const words = tokenize(name);
      const signature = addPairs({ low: 0, high: 0 }, words);
      for (let from = 0; from < words.length; from++) {
        for (let to = from + 2; to <= words.length; to++) {
          expect(mayHold(signature.low, signature.high, addPairs({ low: 0, high: 0 }, words.slice(from, to)))).toBe(
            true,
          );
        }
      }
    }
  });

  it('rules out most pairs a name does not hold', () => {
    const signature = addPairs({ low: 0, high: 0 }, tokenize('holiday photos paris 2013 044.jpg'));
    let ruledOut = 0;
    for (let i = 0; i < 200; i++) {
      if (!mayHold(signature.low, signature.high, addPairs({ low: 0, high: 0 }, [`w${i}`, `v${i}`]))) ruledOut++;
    }
    expect(ruledOut).toBeGreaterThan(180);
  });

  it('tells the order of a pair apart, and spreads pairs over the 64 bits', () => {
    const reversed = Array.from({ length: 1000 }, (_, i) => pairBits(`x${i}`, `y${i}`) === pairBits(`y${i}`, `x${i}`));
    expect(reversed.filter(Boolean).length).toBeLessThan(5);
    const pairs = Array.from({ length: 2000 }, (_, i) => pairBits(`a${i}`, `b${i}`));
    expect(new Set(pairs.map((bits) => bits >> 6)).size).toBe(64);
    expect(new Set(pairs.map((bits) => bits & 63)).size).toBe(64);
  });
});
