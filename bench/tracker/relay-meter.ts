/**
 * Drives signal exchanges between pairs of clients and measures them, whatever tracker carries them. Each pair
 * starts exchanges at most `ratePerSender` per second (a token bucket with a random phase, so pairs do not fire in
 * lock-step) and keeps at most `window` exchanges undelivered. Latency is one-way, send to receipt, on one clock:
 * both clients of a pair live in this process.
 */
import type { RelayParams, RelayReport } from './child-api.ts';

/** The tracker-specific part: how a pair starts an exchange. */
export interface RelayPair {
  /** The first client sends the first signal of exchange `seq` (and calls {@link RelayMeter.sent}). */
  start(seq: number): void;
}

const TICK_MS = 2;
/** How long in-flight signals may take to drain after the measured interval. */
const DRAIN_MS = 5000;

interface PairState {
  tokens: number;
  outstanding: number;
  nextSeq: number;
  /** Send times by leg, keyed by exchange number. */
  sentAt: [Map<number, number>, Map<number, number>];
  /** Next exchange number expected on each leg (signals of one pair arrive in order). */
  expected: [number, number];
}

/** Measures one relay run; the pairs report sends, arrivals and finished exchanges to it. */
export class RelayMeter {
  private readonly states: PairState[] = [];
  private pairs: readonly RelayPair[] = [];
  private measureFrom = Number.POSITIVE_INFINITY;
  private measureTo = Number.NEGATIVE_INFINITY;
  private stopped = false;
  private delivered = 0;
  private mismatched = 0;
  private readonly latenciesMs: number[] = [];
  readonly errors: Record<string, number> = {};

  constructor(private readonly params: RelayParams) {}

  /** Records that a signal of exchange `seq` left on `leg` (0: first client to second, 1: the way back). */
  sent(pair: number, leg: 0 | 1, seq: number): void {
    this.states[pair]?.sentAt[leg].set(seq, performance.now());
  }

  /** Records that a signal arrived; `false` if it was not the one expected (out of order or unknown). */
  arrived(pair: number, leg: 0 | 1, seq: number): boolean {
    const now = performance.now();
    const state = this.states[pair];
    const sentAt = state?.sentAt[leg].get(seq);
    if (!state || sentAt === undefined || state.expected[leg] !== seq) {
      this.mismatched++;
      return false;
    }
    state.sentAt[leg].delete(seq);
    state.expected[leg] = seq + 1;
    if (now >= this.measureFrom && now <= this.measureTo) {
      this.delivered++;
      this.latenciesMs.push(Math.round((now - sentAt) * 1000) / 1000);
    }
    return true;
  }

  /** An exchange of `pair` is complete: it may start another. */
  finished(pair: number): void {
    const state = this.states[pair];
    if (!state) return;
    state.outstanding--;
    this.pump(pair, state);
  }

  /** Counts a failure by code. */
  error(code: string): void {
    this.errors[code] = (this.errors[code] ?? 0) + 1;
  }

  /** Runs the exchanges for warm-up plus the measured interval, then waits for in-flight ones to drain. */
  async run(pairs: readonly RelayPair[]): Promise<RelayReport> {
    this.pairs = pairs;
    for (let i = 0; i < pairs.length; i++) {
      this.states.push({
        tokens: Math.random(),
        outstanding: 0,
        nextSeq: 0,
        sentAt: [new Map(), new Map()],
        expected: [0, 0],
      });
    }
    const started = performance.now();
    this.measureFrom = started + this.params.warmupMs;
    this.measureTo = this.measureFrom + this.params.durationMs;
    let last = started;
    const timer = setInterval(() => {
      const now = performance.now();
      const refill = ((now - last) / 1000) * this.params.ratePerSender;
      last = now;
      const cap = Math.max(2, this.params.ratePerSender * 0.05);
      this.states.forEach((state, pair) => {
        state.tokens = Math.min(cap, state.tokens + refill);
        this.pump(pair, state);
      });
    }, TICK_MS);
    await sleep(this.params.warmupMs + this.params.durationMs);
    this.stopped = true;
    clearInterval(timer);
    const drainUntil = performance.now() + DRAIN_MS;
    while (this.states.some((state) => state.outstanding > 0) && performance.now() < drainUntil) await sleep(20);
    return {
      delivered: this.delivered,
      latenciesMs: this.latenciesMs,
      mismatched: this.mismatched,
      errors: this.errors,
      measuredMs: this.params.durationMs,
    };
  }

  private pump(pair: number, state: PairState): void {
    if (this.stopped) return;
    while (state.tokens >= 1 && state.outstanding < this.params.window) {
      state.tokens -= 1;
      state.outstanding++;
      this.pairs[pair]?.start(state.nextSeq++);
    }
  }
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
