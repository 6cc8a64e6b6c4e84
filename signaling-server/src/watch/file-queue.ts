import type { NamedFile } from '../registry/registry.ts';

/** Taken files at the head of the queue before it is compacted. */
const COMPACT_AFTER = 4096;

/**
 * Named files waiting to be matched, each with when it was named, first in first out. Kept as columns (the
 * registry's own strings, and numbers), not as one object per file: a backlog of a flood holds a hundred thousand
 * files for seconds, and objects kept that long are copied by every young-generation garbage collection until they
 * are promoted, which costs the whole process (registrations included) more than the matching does.
 */
export class FileQueue {
  private ids: string[] = [];
  private names: string[] = [];
  private sizes: number[] = [];
  private mimeTypes: string[] = [];
  private registrants: string[] = [];
  private namedAt: number[] = [];
  private head = 0;

  /** Files waiting. */
  get length(): number {
    return this.ids.length - this.head;
  }

  push(file: NamedFile, at: number): void {
    this.ids.push(file.id);
    this.names.push(file.name);
    this.sizes.push(file.size);
    this.mimeTypes.push(file.mimeType);
    this.registrants.push(file.registrant);
    this.namedAt.push(at);
  }

  /** When the next file was named; call only while {@link length} is above 0. */
  nextAt(): number {
    return this.namedAt[this.head] as number;
  }

  /** Takes the next file; call only while {@link length} is above 0. */
  shift(): NamedFile {
    const at = this.head++;
    return {
      id: this.ids[at] as string,
      name: this.names[at] as string,
      size: this.sizes[at] as number,
      mimeType: this.mimeTypes[at] as string,
      registrant: this.registrants[at] as string,
    };
  }

  /** Lets taken files go once they are most of the queue, so a backlog that never empties does not hold them. */
  compact(): void {
    if (this.head === 0) return;
    if (this.head === this.ids.length) {
      this.clear();
      return;
    }
    if (this.head < COMPACT_AFTER || this.head * 2 < this.ids.length) return;
    const from = this.head;
    this.ids = this.ids.slice(from);
    this.names = this.names.slice(from);
    this.sizes = this.sizes.slice(from);
    this.mimeTypes = this.mimeTypes.slice(from);
    this.registrants = this.registrants.slice(from);
    this.namedAt = this.namedAt.slice(from);
    this.head = 0;
  }

  clear(): void {
    this.ids = [];
    this.names = [];
    this.sizes = [];
    this.mimeTypes = [];
    this.registrants = [];
    this.namedAt = [];
    this.head = 0;
  }
}
