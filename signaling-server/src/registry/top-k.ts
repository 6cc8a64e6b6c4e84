/**
 * The `k` smallest items by `compare`, sorted ascending. A bounded max-heap keeps this O(n log k), so ranking a large
 * candidate set for one page does not sort all of it.
 */
export function smallestK<T>(items: readonly T[], k: number, compare: (a: T, b: T) => number): T[] {
  if (k <= 0) return [];
  if (items.length <= k) return [...items].sort(compare);
  // heap[0] is the largest kept item: the one to evict when a smaller one arrives.
  const heap: T[] = [];
  const at = (i: number): T => heap[i] as T;
  const siftUp = (start: number): void => {
    let i = start;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (compare(at(i), at(parent)) <= 0) break;
      [heap[i], heap[parent]] = [at(parent), at(i)];
      i = parent;
    }
  };
  const siftDown = (): void => {
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let largest = i;
      if (left < heap.length && compare(at(left), at(largest)) > 0) largest = left;
      if (right < heap.length && compare(at(right), at(largest)) > 0) largest = right;
      if (largest === i) return;
      [heap[i], heap[largest]] = [at(largest), at(i)];
      i = largest;
    }
  };
  for (const item of items) {
    if (heap.length < k) {
      heap.push(item);
      siftUp(heap.length - 1);
    } else if (compare(item, at(0)) < 0) {
      heap[0] = item;
      siftDown();
    }
  }
  return heap.sort(compare);
}

/**
 * Two keys of an item and the full order they start: `first` then `second`, both ascending, are a coarser version
 * of `compare` (if `first(a) < first(b)`, or they are equal and `second(a) < second(b)`, then `a` comes before `b`);
 * `compare` decides only between items whose keys are both equal.
 */
export interface KeyedOrder {
  first: (item: number) => number;
  second: (item: number) => number;
  compare: (a: number, b: number) => number;
}

/** Room for kept items at first: a first page (50) and the next. */
const INITIAL_ROOM = 128;

/**
 * The `k` smallest of a stream of items (small non-negative integers) by a {@link KeyedOrder}: most items are turned
 * away by one key read against the largest kept one, so ranking a large match set costs about one array read per
 * match instead of a comparison that reads several.
 *
 * Kept items and their keys live in typed arrays that {@link reset} reuses, so one instance serves search after
 * search without leaving garbage, and keys cross calls through {@link bar} and {@link next}, not as arguments or
 * return values: a double passed to or returned from a call V8 does not inline is boxed, a 16-byte heap number each.
 * With plain arrays and key arguments, a search left a few kilobytes per page, plus about 16 bytes per item offered
 * (90 KB for the 5,652 matches of "report quarterly", which tie on both keys); typed array reads and writes box
 * nothing.
 */
export class KeyedTopK {
  /**
   * `bar[0]`: the first key of the largest kept item once `k` are kept (+Infinity before). An item whose first key is
   * above it would be turned away, so a caller may skip offering it.
   */
  readonly bar = Float64Array.of(Infinity);
  /** The first and second keys of the item to be offered next by {@link offerNext}, written by the caller. */
  readonly next = new Float64Array(2);
  private k = 0;
  private order: KeyedOrder;
  private size = 0;
  private items = new Int32Array(INITIAL_ROOM);
  private firsts = new Float64Array(INITIAL_ROOM);
  private seconds = new Float64Array(INITIAL_ROOM);

  constructor(k: number, order: KeyedOrder) {
    this.order = order;
    this.reset(k, order);
  }

  /** Empties it for a new stream: the `k` smallest by `order`. */
  reset(k: number, order: KeyedOrder): void {
    this.k = Math.max(0, k);
    this.order = order;
    this.size = 0;
    this.bar[0] = this.k === 0 ? -Infinity : Infinity;
  }

  /** Offers one item; it is kept while it is among the `k` smallest so far. */
  offer(item: number): void {
    this.next[0] = this.order.first(item);
    this.next[1] = this.order.second(item);
    this.offerNext(item);
  }

  /** {@link offer}, with the item's keys already written in {@link next}. */
  offerNext(item: number): void {
    const first = this.next[0] as number;
    if (first > (this.bar[0] as number)) return;
    const second = this.next[1] as number;
    if (this.size < this.k) {
      this.push(item, first, second);
      if (this.size === this.k) this.bar[0] = this.firsts[0] as number;
      return;
    }
    // Compared with the largest kept item: larger keys never get in, which is what most items hit.
    const topFirst = this.firsts[0] as number;
    if (first === topFirst) {
      const topSecond = this.seconds[0] as number;
      if (second > topSecond) return;
      if (second === topSecond && this.order.compare(item, this.items[0] as number) >= 0) return;
    }
    this.items[0] = item;
    this.firsts[0] = first;
    this.seconds[0] = second;
    this.siftDown(0, this.size);
    this.bar[0] = this.firsts[0] as number;
  }

  /**
   * The kept items, smallest first: a view of its own storage, valid until the next {@link reset}. Sorts them in
   * place (a heap sort), so nothing more may be offered before a reset.
   */
  sorted(): Int32Array {
    for (let end = this.size - 1; end > 0; end--) {
      // The largest left goes last; the heap shrinks by one.
      this.swap(0, end);
      this.siftDown(0, end);
    }
    const sorted = this.items.subarray(0, this.size);
    this.reset(0, this.order);
    return sorted;
  }

  /** Orders kept items `i` and `j` by keys, then by the full comparison. */
  private compareAt(i: number, j: number): number {
    const firstI = this.firsts[i] as number;
    const firstJ = this.firsts[j] as number;
    if (firstI !== firstJ) return firstI < firstJ ? -1 : 1;
    const secondI = this.seconds[i] as number;
    const secondJ = this.seconds[j] as number;
    if (secondI !== secondJ) return secondI < secondJ ? -1 : 1;
    return this.order.compare(this.items[i] as number, this.items[j] as number);
  }

  private push(item: number, first: number, second: number): void {
    if (this.size === this.items.length) this.grow();
    const at = this.size++;
    this.items[at] = item;
    this.firsts[at] = first;
    this.seconds[at] = second;
    // A max-heap: the largest kept item at 0, to be evicted first.
    let i = at;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.compareAt(i, parent) <= 0) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  /** Restores the heap below `start` among the first `size` items. */
  private siftDown(start: number, size: number): void {
    let i = start;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let largest = i;
      if (left < size && this.compareAt(left, largest) > 0) largest = left;
      if (right < size && this.compareAt(right, largest) > 0) largest = right;
      if (largest === i) return;
      this.swap(i, largest);
      i = largest;
    }
  }

  private swap(i: number, j: number): void {
    const { items, firsts, seconds } = this;
    const item = items[i] as number;
    items[i] = items[j] as number;
    items[j] = item;
    const first = firsts[i] as number;
    firsts[i] = firsts[j] as number;
    firsts[j] = first;
    const second = seconds[i] as number;
    seconds[i] = seconds[j] as number;
    seconds[j] = second;
  }

  private grow(): void {
    const room = this.items.length * 2;
    this.items = grown(this.items, new Int32Array(room));
    this.firsts = grown(this.firsts, new Float64Array(room));
    this.seconds = grown(this.seconds, new Float64Array(room));
  }
}

function grown<T extends Int32Array | Float64Array>(old: T, fresh: T): T {
  fresh.set(old as never);
  return fresh;
}
