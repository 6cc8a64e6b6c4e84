/**
 * A 64-bit signature of which words follow which in a file's names: each pair of neighbouring words sets one bit.
 * A phrase can be in a name only if the bits of all its pairs are set, so most files that hold a phrase's words but
 * not the phrase are turned away without reading their names again (a filter, like a Bloom filter: no false "no").
 */

/** The bit (0-63) of the pair `first second`: FNV-1a over both words and a separator. */
export function pairBit(first: string, second: string): number {
  let hash = 0x811c9dc5;
  const mix = (unit: number): void => {
    hash = Math.imul(hash ^ unit, 0x01000193);
  };
  for (let i = 0; i < first.length; i++) mix(first.charCodeAt(i));
  mix(0);
  for (let i = 0; i < second.length; i++) mix(second.charCodeAt(i));
  return (hash >>> 0) % 64;
}

/** A signature as two 32-bit halves (int32, as typed arrays hold them). */
export interface PairSignature {
  low: number;
  high: number;
}

/** Adds the pairs of `words` (in order) to a signature. */
export function addPairs(signature: PairSignature, words: readonly string[]): PairSignature {
  let { low, high } = signature;
  for (let i = 0; i + 1 < words.length; i++) {
    const bit = pairBit(words[i] as string, words[i + 1] as string);
    if (bit < 32) low |= 1 << bit;
    else high |= 1 << (bit - 32);
  }
  return { low, high };
}

/** Whether a signature has every bit of `wanted` (so the phrase `wanted` was made of may be there). */
export function mayHold(low: number, high: number, wanted: PairSignature): boolean {
  return (low & wanted.low) === wanted.low && (high & wanted.high) === wanted.high;
}
