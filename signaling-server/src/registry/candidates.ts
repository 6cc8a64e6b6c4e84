/**
 * The candidates of one search (slot * 2 + bonus), written into one packed array that the index reuses from search
 * to search: a search over a hundred thousand files allocates nothing for them, so it leaves no garbage behind.
 */
export class Candidates {
  values = new Int32Array(4096);
  length = 0;
  /** Whether the values are in increasing order (they came from sorted lists), which cheaper passes can use. */
  ordered = false;

  clear(): void {
    this.length = 0;
    this.ordered = false;
  }

  /** The array, with room for `count` values from the start (what it held is kept). */
  reserve(count: number): Int32Array {
    if (count > this.values.length) {
      const grown = new Int32Array(Math.max(count, this.values.length * 2));
      grown.set(this.values.subarray(0, this.length));
      this.values = grown;
    }
    return this.values;
  }

  push(value: number): void {
    if (this.length === this.values.length) {
      const grown = new Int32Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = value;
  }
}
