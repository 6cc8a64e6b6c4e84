/**
 * A 64-bit signature of which words follow which in a file's names: each pair of neighbouring words sets two bits.
 * A phrase can be in a name only if the bits of all its pairs are set, so most files that hold a phrase's words but
 * not the phrase are turned away without reading their names again (a filter, like a Bloom filter: no false "no").
 */

/**
 * The two bits (0-63 each, as `first * 64 + second`) of the pair `first second`: FNV-1a over both words and a
 * separator, mixed, then two bits of it. Two bits per pair make a file that lacks the pair pass for it four times
 * less often than one bit would (about 2 % of files of six words, against 8 %).
 */
export function pairBits(first: string, second: string): number {
  // No inner closure: this runs for every pair of every name registered.
  let hash = 0x811c9dc5;
  for (let i = 0; i < first.length; i++) hash = Math.imul(hash ^ first.charCodeAt(i), 0x01000193);
  hash = Math.imul(hash, 0x01000193);
  for (let i = 0; i < second.length; i++) hash = Math.imul(hash ^ second.charCodeAt(i), 0x01000193);
  // FNV's low bits are weak (half of 64 values never came out of them alone): mix the high bits down first.
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x45d9f3b);
  hash ^= hash >>> 16;
  return (hash & 63) * 64 + ((hash >>> 6) & 63);
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
    const bits = pairBits(words[i] as string, words[i + 1] as string);
    const one = bits >> 6;
    const two = bits & 63;
    if (one < 32) low |= 1 << one;
    else high |= 1 << (one - 32);
    if (two < 32) low |= 1 << two;
    else high |= 1 << (two - 32);
  }
  return { low, high };
}

/** Whether a signature has every bit of `wanted` (so the phrase `wanted` was made of may be there). */
export function mayHold(low: number, high: number, wanted: PairSignature): boolean {
  return (low & wanted.low) === wanted.low && (high & wanted.high) === wanted.high;
}
