/**
 * Walks over sorted slot lists (`SlotList.sorted()`): a search intersecting the lists of common words reads them in
 * order through packed memory, which costs a fraction of probing a hash set per slot at a million files.
 */

/**
 * The first index at or after `from` whose slot is at least `target` (`list.length` if none): galloping (1, 2, 4, ...
 * ahead, then a binary search), so a cursor moved forward through a long list by a short one costs the log of each
 * gap, and walking two lists of similar size costs about one step per slot.
 */
export function gallop(list: Int32Array, from: number, target: number): number {
  if (from >= list.length || (list[from] as number) >= target) return from;
  let low = from;
  let step = 1;
  let high = from + 1;
  while (high < list.length && (list[high] as number) < target) {
    low = high;
    step *= 2;
    high = from + step;
  }
  if (high > list.length) high = list.length;
  // list[low] < target, and list[high] >= target or high is the end.
  while (low + 1 < high) {
    const middle = (low + high) >>> 1;
    if ((list[middle] as number) < target) low = middle;
    else high = middle;
  }
  return high;
}

/** A cursor moving forward through one sorted list: asked about increasing slots, it answers whether each is in it. */
export class SortedCursor {
  private at = 0;

  constructor(private readonly list: Int32Array) {}

  /** Whether `slot` is in the list; slots asked about must not decrease. */
  has(slot: number): boolean {
    this.at = gallop(this.list, this.at, slot);
    return this.list[this.at] === slot;
  }
}

/**
 * Writes the slots in every list (each sorted, the shortest first) into `out`, in increasing order; returns how many.
 * `out` must have room for the first list.
 */
export function intersectSorted(lists: readonly Int32Array[], out: Int32Array): number {
  const shortest = lists[0] as Int32Array;
  const others = lists.slice(1).map((list) => new SortedCursor(list));
  let count = 0;
  for (let i = 0; i < shortest.length; i++) {
    const slot = shortest[i] as number;
    let inAll = true;
    for (const other of others) {
      if (!other.has(slot)) {
        inAll = false;
        break;
      }
    }
    if (inAll) out[count++] = slot;
  }
  return count;
}

/**
 * Writes the slots in both sorted lists into `out` from index `at`, in increasing order; returns the index after the
 * last one written. The shorter list drives and the longer is galloped, so a short list against a long one costs the
 * short one's length times the log of the gaps. `out` must have room for the shorter list from `at`.
 */
export function intersectTwo(a: Int32Array, b: Int32Array, out: Int32Array, at: number): number {
  const short = a.length <= b.length ? a : b;
  const long = short === a ? b : a;
  let end = at;
  let cursor = 0;
  for (let i = 0; i < short.length && cursor < long.length; i++) {
    const slot = short[i] as number;
    cursor = gallop(long, cursor, slot);
    if (long[cursor] === slot) out[end++] = slot;
  }
  return end;
}

/** Whether the sorted `list` holds `slot` (a binary search, for lone slots asked in no order). */
export function sortedHas(list: Int32Array, slot: number): boolean {
  return list[gallop(list, 0, slot)] === slot;
}

/**
 * Writes the slots of two sorted lists into `out` (room for both), each slot once, in increasing order; returns
 * how many. A list may repeat a slot.
 */
export function mergeSorted(a: Int32Array, b: Int32Array, out: Int32Array): number {
  let i = 0;
  let j = 0;
  let count = 0;
  let last = -1;
  while (i < a.length || j < b.length) {
    const fromA = i < a.length ? (a[i] as number) : Infinity;
    const fromB = j < b.length ? (b[j] as number) : Infinity;
    let slot: number;
    if (fromA <= fromB) {
      slot = fromA;
      i++;
    } else {
      slot = fromB;
      j++;
    }
    if (slot !== last) out[count++] = last = slot;
  }
  return count;
}

/**
 * The union of sorted slot lists, made in two scratch arrays reused from call to call (a search's union of a
 * hundred thousand slots allocates nothing once they have grown). Lists are merged shortest first, so a long list
 * is copied once, not once per short one.
 */
export class SortedUnion {
  private scratch = [new Int32Array(1024), new Int32Array(1024)];

  /** The slots of all lists, each once, in increasing order: a view valid until the next call. */
  of(lists: readonly Int32Array[]): Int32Array {
    const ordered = [...lists].sort((a, b) => a.length - b.length);
    let total = 0;
    for (const list of ordered) total += list.length;
    if (total > (this.scratch[0] as Int32Array).length) {
      this.scratch = [new Int32Array(total), new Int32Array(total)];
    }
    let merged: Int32Array = new Int32Array(0);
    let target = 0;
    for (const list of ordered) {
      const out = this.scratch[target] as Int32Array;
      merged = out.subarray(0, mergeSorted(merged, list, out));
      target = 1 - target;
    }
    return merged;
  }
}
