/** Watch work per unit of other work done since the last slice, while the backlog is short. */
const BASE_SHARE = 0.1;
/** The share reached when the backlog is full: as long as the other work. */
const FULL_SHARE = 1;
/** Above this fill of the backlog the share starts to grow. */
const PRESSURE_FROM = 0.5;

/** How {@link SliceSizer} sizes slices, in milliseconds and files. */
export interface SliceLimits {
  minMs: number;
  maxMs: number;
  /** Files the backlog may hold. */
  maxBacklog: number;
}

/**
 * How long each slice of watch work may run, so that registrations come first: a slice takes a tenth as long as the
 * other work (requests) the event loop did since the last one, so a saturated tracker spends at most about 9 % of
 * its time on watches, and the backlog absorbs a flood; as the backlog fills past half, the share grows toward as
 * long as the other work, so the backlog catches up before it overflows. Never shorter than `minMs` (so an idle
 * tracker catches up) nor longer than `maxMs` (the delay a slice adds to requests waiting behind it).
 */
export class SliceSizer {
  private lastEnd: number;

  constructor(
    private readonly limits: SliceLimits,
    now: number,
  ) {
    this.lastEnd = now;
  }

  /** How long the slice starting at `now` may run, with `backlog` files waiting. */
  length(now: number, backlog: number): number {
    const other = now - this.lastEnd;
    const fill = Math.min(1, backlog / this.limits.maxBacklog);
    const pressure = Math.max(0, (fill - PRESSURE_FROM) / (1 - PRESSURE_FROM));
    const share = BASE_SHARE + (FULL_SHARE - BASE_SHARE) * pressure;
    return Math.min(this.limits.maxMs, Math.max(this.limits.minMs, other * share));
  }

  /** Notes that a slice ended at `now`: the other work of the next one is counted from here. */
  ended(now: number): void {
    this.lastEnd = now;
  }
}
