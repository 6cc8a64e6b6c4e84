/** Items waiting for a time, taken out once it has come, earliest first: a binary min-heap on the times. */
export class DueQueue<T> {
  private readonly items: T[] = [];
  private readonly times: number[] = [];

  get size(): number {
    return this.items.length;
  }

  /** Adds `item`, due at `time`. */
  push(item: T, time: number): void {
    let i = this.items.length;
    this.items.push(item);
    this.times.push(time);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((this.times[parent] as number) <= time) break;
      this.move(parent, i);
      i = parent;
    }
    this.items[i] = item;
    this.times[i] = time;
  }

  /** Takes out the earliest item if it is due at `now`; `undefined` when none is. */
  popDue(now: number): T | undefined {
    if (this.items.length === 0 || (this.times[0] as number) > now) return undefined;
    const first = this.items[0] as T;
    const lastItem = this.items.pop() as T;
    const lastTime = this.times.pop() as number;
    const length = this.items.length;
    if (length === 0) return first;
    // Sift the last item down from the root.
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= length) break;
      const right = left + 1;
      const child = right < length && (this.times[right] as number) < (this.times[left] as number) ? right : left;
      if ((this.times[child] as number) >= lastTime) break;
      this.move(child, i);
      i = child;
    }
    this.items[i] = lastItem;
    this.times[i] = lastTime;
    return first;
  }

  private move(from: number, to: number): void {
    this.items[to] = this.items[from] as T;
    this.times[to] = this.times[from] as number;
  }
}
