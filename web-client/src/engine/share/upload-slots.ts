/** Peers uploaded to at once unless the user says otherwise. */
export const DEFAULT_UPLOAD_SLOTS = 4;
/** Bounds of the slot count the user can choose. */
export const MIN_UPLOAD_SLOTS = 1;
export const MAX_UPLOAD_SLOTS = 20;

/** Timing of the scheduler; tests shorten it. */
export interface SlotTiming {
  /** A served peer that asks for nothing for this long gives its slot up to a waiting one. */
  idleMs: number;
  /** With peers waiting, a slot held this long passes to the first in line (the holder queues again, last). */
  turnMs: number;
  /** How often, while anyone waits, idleness and turns are checked. */
  tickMs: number;
}

export const DEFAULT_SLOT_TIMING: SlotTiming = { idleMs: 3_000, turnMs: 30_000, tickMs: 500 };

/**
 * Where one downloading peer stands: `served` (it has a slot), `queued` at `place` (1 is next), or `idle` (neither:
 * it asked for nothing yet, or gave its slot up by asking for nothing; its next request asks for a slot again).
 */
export type SlotState = { kind: 'idle' } | { kind: 'served' } | { kind: 'queued'; place: number };

/** One upload session's hold on the scheduler, for the peer it serves. Sessions of one peer share its state. */
export interface SlotTicket {
  readonly state: SlotState;
  /** A request came from an idle peer: it gets a slot now, or joins the end of the queue. */
  want(): void;
  /** Whether this session has requests to serve (a peer with none for a while is idle). */
  busy(busy: boolean): void;
  /** The session ended; the peer leaves when its last session does. */
  release(): void;
}

/** What the page shows of its uploads. */
export interface SlotsSnapshot {
  slots: number;
  /** Peers with a slot. */
  served: number;
  /** Peers waiting for one. */
  queued: number;
}

interface PeerEntry {
  readonly id: string;
  readonly tickets: Set<Ticket>;
  kind: SlotState['kind'];
  place: number;
  /** Sessions of this peer with requests to serve. */
  busy: number;
  idleSince: number;
  turnStart: number;
  /** The state its sessions were last told, as `idle`, `served` or `queued 3`. */
  told: string;
}

interface Ticket extends SlotTicket {
  readonly listener: (state: SlotState) => void;
  busyNow: boolean;
}

function stateOf(peer: PeerEntry): SlotState {
  return peer.kind === 'queued' ? { kind: 'queued', place: peer.place } : { kind: peer.kind };
}

/**
 * The page's upload slots: how many downloading peers (remote pages, however many links each has open with us) are
 * served at once. The others wait in one queue, first come first served, and learn their place whenever it changes.
 * A slot frees when its peer leaves, asks for nothing for `idleMs` while someone waits, or (round-robin) has held it
 * for `turnMs` while someone waits: then it goes back to the end of the queue, so a big download cannot keep a slot
 * forever. Turns are counted in time, not bytes, so a slow downloader cannot stretch its turn. Pure bookkeeping: the
 * sessions send the frames.
 */
export class UploadSlots {
  private count: number;
  private readonly peers = new Map<string, PeerEntry>();
  private readonly served = new Set<PeerEntry>();
  private readonly queue: PeerEntry[] = [];
  private readonly timing: SlotTiming;
  private timer: ReturnType<typeof setInterval> | null = null;
  private updating = false;
  private updateAgain = false;
  private shown: SlotsSnapshot;

  constructor(
    slots: number = DEFAULT_UPLOAD_SLOTS,
    private readonly options: { timing?: Partial<SlotTiming>; now?: () => number; onChange?: () => void } = {},
  ) {
    this.count = checkSlots(slots);
    this.timing = { ...DEFAULT_SLOT_TIMING, ...options.timing };
    this.shown = this.snapshot();
  }

  get slots(): number {
    return this.count;
  }

  /** Changes the slot count; peers are granted or queued accordingly at once. */
  setSlots(slots: number): void {
    this.count = checkSlots(slots);
    this.update();
  }

  snapshot(): SlotsSnapshot {
    return { slots: this.count, served: this.served.size, queued: this.queue.length };
  }

  /** A session for `peerId` started (after its handshake); `listener` hears of every change of the peer's state. */
  attach(peerId: string, listener: (state: SlotState) => void): SlotTicket {
    let peer = this.peers.get(peerId);
    if (!peer) {
      const now = this.now();
      peer = {
        id: peerId,
        tickets: new Set(),
        kind: 'idle',
        place: 0,
        busy: 0,
        idleSince: now,
        turnStart: now,
        told: '',
      };
      this.peers.set(peerId, peer);
    }
    const owner = peer;
    const ticket: Ticket = {
      listener,
      busyNow: false,
      get state() {
        return stateOf(owner);
      },
      want: () => this.want(owner),
      busy: (busy) => this.setBusy(owner, ticket, busy),
      release: () => this.release(owner, ticket),
    };
    peer.tickets.add(ticket);
    peer.told = this.told(peer);
    return ticket;
  }

  /** Re-checks idle slots and turns (the timer does this while anyone waits). */
  tick(): void {
    this.update();
  }

  /** Stops the timer (the page is going away). */
  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private now(): number {
    return this.options.now?.() ?? performance.now();
  }

  private want(peer: PeerEntry): void {
    if (peer.kind !== 'idle' || !this.peers.has(peer.id)) return;
    peer.kind = 'queued';
    this.queue.push(peer);
    this.update();
  }

  private setBusy(peer: PeerEntry, ticket: Ticket, busy: boolean): void {
    if (ticket.busyNow === busy || !peer.tickets.has(ticket)) return;
    ticket.busyNow = busy;
    peer.busy += busy ? 1 : -1;
    if (peer.busy === 0) peer.idleSince = this.now();
  }

  private release(peer: PeerEntry, ticket: Ticket): void {
    if (!peer.tickets.delete(ticket)) return;
    if (ticket.busyNow) peer.busy--;
    if (peer.tickets.size > 0) return;
    this.peers.delete(peer.id);
    this.served.delete(peer);
    const at = this.queue.indexOf(peer);
    if (at >= 0) this.queue.splice(at, 1);
    this.update();
  }

  /** Applies the rules, then tells every peer whose state changed; safe to re-enter from a listener. */
  private update(): void {
    if (this.updating) {
      this.updateAgain = true;
      return;
    }
    this.updating = true;
    try {
      do {
        this.updateAgain = false;
        this.rebalance(this.now());
        this.notify();
      } while (this.updateAgain);
    } finally {
      this.updating = false;
    }
    if (this.queue.length > 0 && !this.timer) this.timer = setInterval(() => this.tick(), this.timing.tickMs);
    if (this.queue.length === 0) this.close();
    const snapshot = this.snapshot();
    if (
      snapshot.served !== this.shown.served ||
      snapshot.queued !== this.shown.queued ||
      snapshot.slots !== this.shown.slots
    ) {
      this.shown = snapshot;
      this.options.onChange?.();
    }
  }

  private rebalance(now: number): void {
    // Fewer slots than peers served (the count was lowered): those served longest wait again, last.
    if (this.served.size > this.count) {
      const longest = [...this.served].sort((a, b) => a.turnStart - b.turnStart);
      for (const peer of longest.slice(0, this.served.size - this.count)) this.requeue(peer);
    }
    if (this.queue.length > 0) {
      for (const peer of [...this.served]) {
        if (peer.busy === 0 && now - peer.idleSince >= this.timing.idleMs) {
          this.served.delete(peer);
          peer.kind = 'idle';
        }
      }
    }
    while (this.served.size < this.count && this.queue.length > 0) this.grant(this.queue.shift()!, now);
    // Round-robin: a turn that is over passes to the first in line, oldest turns first, one per waiting peer.
    const waiting = this.queue.length;
    if (waiting === 0) return;
    const over = [...this.served]
      .filter((peer) => now - peer.turnStart >= this.timing.turnMs)
      .sort((a, b) => a.turnStart - b.turnStart)
      .slice(0, waiting);
    for (const peer of over) {
      const next = this.queue.shift()!;
      this.requeue(peer);
      this.grant(next, now);
    }
  }

  private grant(peer: PeerEntry, now: number): void {
    peer.kind = 'served';
    peer.turnStart = now;
    peer.idleSince = now;
    this.served.add(peer);
  }

  private requeue(peer: PeerEntry): void {
    this.served.delete(peer);
    peer.kind = 'queued';
    this.queue.push(peer);
  }

  private told(peer: PeerEntry): string {
    return peer.kind === 'queued' ? `queued ${peer.place}` : peer.kind;
  }

  private notify(): void {
    this.queue.forEach((peer, at) => (peer.place = at + 1));
    for (const peer of this.peers.values()) {
      const told = this.told(peer);
      if (told === peer.told) continue;
      peer.told = told;
      const state = stateOf(peer);
      for (const ticket of [...peer.tickets]) ticket.listener(state);
    }
  }
}

function checkSlots(slots: number): number {
  if (!Number.isInteger(slots) || slots < MIN_UPLOAD_SLOTS || slots > MAX_UPLOAD_SLOTS)
    throw new RangeError(`upload slots must be a whole number from ${MIN_UPLOAD_SLOTS} to ${MAX_UPLOAD_SLOTS}`);
  return slots;
}
