/**
 * Cells of the filter that says whether anything may be filed under a hash: several per filed term, so that most
 * words' beginnings find an empty one. Read as bits (8 KiB, which stays in the cache between files); counted apart,
 * so that a cell empties when the last term in it goes.
 */
const CELLS = 1 << 16;
const CELL_MASK = CELLS - 1;
/** A cell's count stops here: past it, it is never lowered (it may be wrong, so it must stay "maybe"). */
const SATURATED = 0xffff;
/** Keys kept within V8's small integers, which a Map hashes and compares fastest. */
const KEY_MASK = 0x3fffffff;
const FNV_BASIS = 2166136261;
const FNV_PRIME = 16777619;

/** Where a value is filed: under a whole word, or under a beginning of a word (`prefix`). */
export interface Term {
  readonly key: string;
  readonly prefix: boolean;
}

/**
 * Values filed under terms, found for a word in one pass over its characters, without making a string or walking a
 * tree: FNV-1a takes the characters in order, so the hash after each one is the hash of that beginning of the word,
 * and the hash of the word itself is that of its last beginning, ended. A table of counts per hash (a counting Bloom
 * filter with one hash) answers "nothing here" for most beginnings without a map lookup.
 *
 * Hashes collide: a value may be found for a word that does not hold its term (never the reverse), so whoever finds
 * it checks it (the watch index checks the whole query).
 */
/**
 * The values filed under one term, each with its mark: the {@link markOf} bits of every term a match must hold. A
 * value whose mark has a bit the word marks of a name lack cannot match it, and is passed over without being read.
 */
export interface Bucket<V> {
  readonly values: V[];
  readonly marks: number[];
}

export class TermSlots<V> {
  private readonly buckets = new Map<number, Bucket<V>>();
  private readonly counts = new Uint16Array(CELLS);
  private readonly occupied = new Int32Array(CELLS >>> 5);
  private count = 0;

  /** Values filed, in all. */
  get size(): number {
    return this.count;
  }

  /** Files `value` under `term`, with the mark of the terms it needs (see {@link Bucket}). */
  add(term: Term, value: V, mark: number): void {
    const key = keyOf(term);
    let bucket = this.buckets.get(key);
    if (!bucket) {
      this.buckets.set(key, (bucket = { values: [], marks: [] }));
      this.recount(key & CELL_MASK, 1);
    }
    bucket.values.push(value);
    bucket.marks.push(mark);
    this.count++;
  }

  remove(term: Term, value: V): void {
    const key = keyOf(term);
    const bucket = this.buckets.get(key);
    const at = bucket?.values.indexOf(value) ?? -1;
    if (!bucket || at < 0) return;
    // Order within a bucket does not matter: the last value takes the removed one's place.
    const { values, marks } = bucket;
    values[at] = values[values.length - 1] as V;
    marks[at] = marks[marks.length - 1] as number;
    values.pop();
    marks.pop();
    this.count--;
    if (values.length > 0) return;
    this.buckets.delete(key);
    this.recount(key & CELL_MASK, -1);
  }

  /**
   * Adds to `into` the buckets of every beginning of `word` filed as a prefix (shortest first) and of `word` filed as
   * a word, and of any term whose hash collides with one of them, each bucket once. The buckets are live: not to be
   * changed while read. Answers the word's marks (see {@link markOf}), from the same pass.
   */
  collect(word: string, into: Bucket<V>[]): number {
    let hash = FNV_BASIS;
    let mark = 0;
    for (let i = 0; i < word.length; i++) {
      hash = Math.imul(hash ^ word.charCodeAt(i), FNV_PRIME);
      if (i === MARKED_PREFIX - 1) mark = bitOf(hash);
      this.probe(hash & KEY_MASK, into);
    }
    const whole = ended(hash);
    this.probe(whole & KEY_MASK, into);
    return mark | bitOf(whole);
  }

  private recount(cell: number, change: 1 | -1): void {
    const count = this.counts[cell] as number;
    if (count === SATURATED) return;
    this.counts[cell] = count + change;
    const word = this.occupied[cell >>> 5] as number;
    const bit = 1 << (cell & 31);
    this.occupied[cell >>> 5] = count + change === 0 ? word & ~bit : word | bit;
  }

  private probe(key: number, into: Bucket<V>[]): void {
    if (((this.occupied[(key & CELL_MASK) >>> 5] as number) & (1 << (key & 31))) === 0) return;
    const bucket = this.buckets.get(key);
    if (bucket && !into.includes(bucket)) into.push(bucket);
  }
}

/** Words marked by their beginning of this many characters (shorter words by themselves alone). */
const MARKED_PREFIX = 3;

/**
 * The mark of the terms a match must hold: one bit per whole word, and one per prefix for its first three characters
 * (every word that begins with the prefix begins with those), so that a name's words mark every term they hold.
 * 32 bits: a name of five words sets about ten, so a term it lacks is told apart two times in three.
 */
export function markOf(words: readonly string[], prefix: string | null): number {
  let mark = 0;
  for (const word of words) mark |= bitOf(ended(hashOf(word)));
  if (prefix !== null && prefix.length >= MARKED_PREFIX) mark |= bitOf(hashOf(prefix.slice(0, MARKED_PREFIX)));
  return mark;
}

function bitOf(hash: number): number {
  return 1 << (hash >>> 27);
}

function hashOf(text: string): number {
  let hash = FNV_BASIS;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), FNV_PRIME);
  return hash;
}

/** A word's hash is its last prefix's, ended, so that "sun" the word and "sun" the beginning are filed apart. */
function ended(hash: number): number {
  return Math.imul(hash ^ 0xffff, FNV_PRIME);
}

function keyOf({ key, prefix }: Term): number {
  const hash = hashOf(key);
  return (prefix ? hash : ended(hash)) & KEY_MASK;
}
