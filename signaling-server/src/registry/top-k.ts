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
