const EMPTY = new Int32Array(0);

/** Changes held back before they are merged in, as a share of the list (1/8) but never fewer than this. */
const MIN_PENDING = 64;

/**
 * A set of slots (small non-negative integers) kept as one sorted, packed array, so a search walks it in order
 * through contiguous memory instead of hashing its way through a set, and knows its size without walking it.
 *
 * Slots are mostly handed out in increasing order, so adding the largest slot appends in place. Other changes wait in
 * two small sets and are merged in at once, on the next read or when they grow past an eighth of the list, so a
 * change costs O(1) amortised plus a share of one linear merge. Callers add only absent slots and delete only
 * present ones (the owner knows which: it keeps the same membership elsewhere).
 */
export class SlotList {
  private slots: Int32Array = EMPTY;
  /** Slots in use at the start of {@link slots}. */
  private length = 0;
  private added: Set<number> | undefined;
  private deleted: Set<number> | undefined;

  /** Builds a list from distinct slots in any order. */
  static of(slots: Iterable<number>): SlotList {
    const list = new SlotList();
    const sorted = sortedSlots(slots);
    list.slots = sorted;
    list.length = sorted.length;
    return list;
  }

  /** Number of slots in the list. */
  get size(): number {
    return this.length + (this.added?.size ?? 0) - (this.deleted?.size ?? 0);
  }

  /** Adds a slot that is not in the list. */
  add(slot: number): void {
    if (this.deleted?.delete(slot)) {
      if (this.deleted.size === 0) this.deleted = undefined;
      return;
    }
    if (this.length === 0 || slot > (this.slots[this.length - 1] as number)) {
      if (this.length === this.slots.length) this.grow(this.length + 1);
      this.slots[this.length++] = slot;
      return;
    }
    (this.added ??= new Set()).add(slot);
    this.mergeIfLarge();
  }

  /** Deletes a slot that is in the list. */
  delete(slot: number): void {
    if (this.added?.delete(slot)) {
      if (this.added.size === 0) this.added = undefined;
      return;
    }
    if (this.length > 0 && slot === this.slots[this.length - 1]) {
      this.length--;
      return;
    }
    (this.deleted ??= new Set()).add(slot);
    this.mergeIfLarge();
  }

  /** The slots in increasing order: a view that stays valid until the next change. */
  sorted(): Int32Array {
    if (this.added !== undefined || this.deleted !== undefined) this.merge();
    return this.slots.subarray(0, this.length);
  }

  private mergeIfLarge(): void {
    const pending = (this.added?.size ?? 0) + (this.deleted?.size ?? 0);
    if (pending > Math.max(MIN_PENDING, this.length >> 3)) this.merge();
  }

  private merge(): void {
    const added = this.added === undefined ? EMPTY : Int32Array.from(this.added).sort();
    const deleted = this.deleted === undefined ? EMPTY : Int32Array.from(this.deleted).sort();
    this.added = undefined;
    this.deleted = undefined;
    const old = this.slots;
    const size = this.length + added.length - deleted.length;
    const out = new Int32Array(Math.max(size, Math.ceil(size * 1.25)));
    let n = 0;
    let a = 0;
    let d = 0;
    for (let i = 0; i < this.length; i++) {
      const slot = old[i] as number;
      while (a < added.length && (added[a] as number) < slot) out[n++] = added[a++] as number;
      if (d < deleted.length && deleted[d] === slot) {
        d++;
        continue;
      }
      out[n++] = slot;
    }
    while (a < added.length) out[n++] = added[a++] as number;
    this.slots = out;
    this.length = n;
  }

  private grow(needed: number): void {
    const grown = new Int32Array(Math.max(8, needed, Math.ceil(this.slots.length * 1.5)));
    grown.set(this.slots.subarray(0, this.length));
    this.slots = grown;
  }
}

/** Sorted copy of distinct slots given in any order. */
export function sortedSlots(slots: Iterable<number>): Int32Array {
  return Int32Array.from(slots).sort();
}
