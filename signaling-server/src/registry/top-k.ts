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

/**
 * The `k` smallest of a stream of items (small non-negative integers) by a {@link KeyedOrder}: most items are turned
 * away by one key read against the largest kept one, so ranking a large match set costs about one array read per
 * match instead of a comparison that reads several.
 */
export class KeyedTopK {
  private readonly items: number[] = [];
  private readonly firsts: number[] = [];
  private readonly seconds: number[] = [];

  constructor(
    private readonly k: number,
    private readonly order: KeyedOrder,
  ) {}

  /**
   * The first key of the largest kept item once `k` are kept (+Infinity before): an item whose first key is above it
   * would be turned away, so a caller may skip offering it.
   */
  get bar(): number {
    return this.items.length < this.k ? Infinity : (this.firsts[0] as number);
  }

  /** Offers one item; it is kept while it is among the `k` smallest so far. */
  offer(item: number): void {
    this.offerWithFirst(item, this.order.first(item));
  }

  /** {@link offer}, with the item's first key already read. */
  offerWithFirst(item: number, first: number): void {
    if (this.k <= 0) return;
    if (this.items.length < this.k) {
      this.push(item, first, this.order.second(item));
      return;
    }
    // Compared with the largest kept item: larger keys never get in, which is what most items hit.
    const topFirst = this.firsts[0] as number;
    if (first > topFirst) return;
    const second = this.order.second(item);
    if (first === topFirst) {
      const topSecond = this.seconds[0] as number;
      if (second > topSecond) return;
      if (second === topSecond && this.order.compare(item, this.items[0] as number) >= 0) return;
    }
    this.items[0] = item;
    this.firsts[0] = first;
    this.seconds[0] = second;
    this.siftDown(0);
  }

  /** The kept items, smallest first. */
  sorted(): number[] {
    const order = this.items.map((_, i) => i);
    order.sort((a, b) => this.compareAt(a, b));
    return order.map((i) => this.items[i] as number);
  }

  /** Orders kept items `i` and `j` by keys, then by the full comparison. */
  private compareAt(i: number, j: number): number {
    const first = (this.firsts[i] as number) - (this.firsts[j] as number);
    if (first !== 0) return first;
    const second = (this.seconds[i] as number) - (this.seconds[j] as number);
    if (second !== 0) return second;
    return this.order.compare(this.items[i] as number, this.items[j] as number);
  }

  private push(item: number, first: number, second: number): void {
    this.items.push(item);
    this.firsts.push(first);
    this.seconds.push(second);
    // A max-heap: the largest kept item at 0, to be evicted first.
    let i = this.items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.compareAt(i, parent) <= 0) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  private siftDown(start: number): void {
    let i = start;
    const size = this.items.length;
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
    swapAt(this.items, i, j);
    swapAt(this.firsts, i, j);
    swapAt(this.seconds, i, j);
  }
}

function swapAt(list: number[], i: number, j: number): void {
  const held = list[i] as number;
  list[i] = list[j] as number;
  list[j] = held;
}
