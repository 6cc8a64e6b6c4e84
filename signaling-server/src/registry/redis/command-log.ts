import { performance } from 'node:perf_hooks';
import type { RedisClient } from './connection.ts';
import type { Logger } from 'pino';
import { RegistryClosingError } from '../registry.ts';
import { yieldToEventLoop } from '../yield.ts';
import {
  decodeEntry,
  encodeEntry,
  fitsLog,
  writerOf,
  type Command,
  type LogEntry,
  type TrackerId,
} from './commands.ts';

/** What the log needs around it. */
export interface CommandLogOptions {
  /** Connection for writes (XADD). */
  writer: RedisClient;
  /** Connection of its own for the blocking reads. */
  reader: RedisClient;
  /** The stream's key. */
  key: string;
  tracker: TrackerId;
  logger: Logger;
  /** Applies one entry (with its stream id), in log order; resolves with the outcome its writer gets. */
  apply: (entry: LogEntry, id: string) => Promise<unknown>;
  /** How long a write waits for its own entry to come back (default 30 s: a burst of large registrations queues behind each other, as in one process). */
  submitTimeoutMs?: number;
  /** Entries read per round trip (default 100). */
  readCount?: number;
}

interface Pending {
  resolve: (outcome: unknown) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

const BLOCK_MS = 1000;
const RETRY_MS = 250;
/**
 * Applying entries is synchronous work (a 500-file registration takes tens of milliseconds); after this long the loop
 * lets timers and sockets run (lease renewal, other requests) before it goes on.
 */
const SLICE_MS = 20;

/**
 * The shared command log: a Redis stream every tracker appends to and reads in full, in order. {@link submit} appends
 * a command and resolves with the outcome this tracker's replica computed when the command came back through the
 * read loop, so a request is answered exactly as every other tracker saw it. Work that must not interleave with
 * applying entries (reloading the replica, taking a snapshot) runs through {@link exclusive}, between reads.
 */
export class CommandLog {
  private seq = 0;
  private readonly pending = new Map<number, Pending>();
  private readonly tasks: (() => Promise<void>)[] = [];
  private lastId = '0';
  private running = false;
  private loop: Promise<void> | undefined;
  /** Set by {@link stop}: entries still to apply are left. */
  private stopping = false;
  private wake: (() => void) | undefined;
  private readonly submitTimeoutMs: number;
  private readonly readCount: number;

  constructor(private readonly options: CommandLogOptions) {
    this.submitTimeoutMs = options.submitTimeoutMs ?? 30_000;
    this.readCount = options.readCount ?? 100;
  }

  /** The id of the last entry applied ('0' before any). */
  get position(): string {
    return this.lastId;
  }

  /** Moves the read position (inside an {@link exclusive} task: after loading a snapshot). */
  seek(id: string): void {
    this.lastId = id;
  }

  /** Appends a command; resolves with its outcome once applied here, rejects if Redis fails or it never comes back. */
  submit(command: Command): Promise<unknown> {
    if (!fitsLog(command)) return Promise.reject(new Error(`the registry write ${command.op} is too large`));
    const seq = ++this.seq;
    const text = encodeEntry({ tracker: this.options.tracker, seq, command });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(seq);
        reject(new Error(`the registry write ${command.op} was not confirmed in ${this.submitTimeoutMs} ms`));
      }, this.submitTimeoutMs);
      this.pending.set(seq, { resolve, reject, timer });
      this.options.writer.xadd(this.options.key, '*', 'e', text).catch((err: unknown) => {
        const waiting = this.pending.get(seq);
        if (!waiting) return;
        clearTimeout(waiting.timer);
        this.pending.delete(seq);
        waiting.reject(err instanceof Error ? err : new Error(String(err)));
      });
    });
  }

  /** Reads everything already in the log (no blocking). For start-up, before the loop runs. */
  async catchUp(): Promise<void> {
    while (await this.readOnce(0)) {
      // until a read comes back empty
    }
  }

  /** Runs `task` between reads of the loop, never while an entry is being applied. */
  exclusive(task: () => Promise<void>): Promise<void> {
    return new Promise((resolve, reject) => {
      this.tasks.push(() => task().then(resolve, reject));
      if (!this.running) void this.runTasks();
    });
  }

  /** Starts the read loop. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Stops the read loop and fails writes still waiting. */
  async stop(): Promise<void> {
    this.running = false;
    this.stopping = true;
    this.wake?.();
    // The blocking read ends within BLOCK_MS, or at once when the reader connection is closed.
    await this.loop;
    for (const [seq, waiting] of this.pending) {
      clearTimeout(waiting.timer);
      waiting.reject(new RegistryClosingError());
      this.pending.delete(seq);
    }
  }

  private async run(): Promise<void> {
    let failing = false;
    while (this.running) {
      await this.runTasks();
      try {
        await this.readOnce(BLOCK_MS);
        if (failing) this.options.logger.info('reading the registry log again');
        failing = false;
      } catch (err) {
        if (!this.running) break;
        if (!failing) this.options.logger.warn({ err }, 'cannot read the registry log; retrying');
        failing = true;
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          setTimeout(resolve, RETRY_MS);
        });
      }
    }
  }

  private async runTasks(): Promise<void> {
    for (let task = this.tasks.shift(); task; task = this.tasks.shift()) await task();
  }

  /** One read; true when it returned entries. */
  private async readOnce(blockMs: number): Promise<boolean> {
    const { reader, key } = this.options;
    const reply =
      blockMs > 0
        ? await reader.xread('COUNT', this.readCount, 'BLOCK', blockMs, 'STREAMS', key, this.lastId)
        : await reader.xread('COUNT', this.readCount, 'STREAMS', key, this.lastId);
    const entries = reply?.[0]?.[1];
    if (!entries || entries.length === 0) return false;
    let sliceStart = performance.now();
    for (const [id, fields] of entries) {
      // Closing: what is left of the batch would only change a registry about to go (removing the peers of a
      // million files took the trackers past their shutdown deadline).
      if (this.stopping) break;
      await this.applyRaw(id, fields);
      this.lastId = id;
      if (performance.now() - sliceStart > SLICE_MS) {
        await yieldToEventLoop();
        sliceStart = performance.now();
      }
    }
    return true;
  }

  private async applyRaw(id: string, fields: string[]): Promise<void> {
    const text = fields[0] === 'e' ? fields[1] : undefined;
    const entry = text === undefined ? undefined : decodeEntry(text);
    if (!entry) {
      this.options.logger.warn({ id }, 'skipped a registry log entry that does not parse');
      const writer = text === undefined ? undefined : writerOf(text);
      if (writer?.tracker === this.options.tracker)
        this.settle(writer.seq, new Error('the registry log refused the entry'));
      return;
    }
    let outcome: unknown;
    let failure: Error | undefined;
    try {
      outcome = await this.options.apply(entry, id);
    } catch (err) {
      failure = err instanceof Error ? err : new Error(String(err));
      this.options.logger.error({ err, id, op: entry.command.op }, 'could not apply a registry log entry');
    }
    if (entry.tracker === this.options.tracker) this.settle(entry.seq, failure, outcome);
  }

  /** Answers the write waiting for entry `seq` of this tracker, if any. */
  private settle(seq: number, failure: Error | undefined, outcome?: unknown): void {
    const waiting = this.pending.get(seq);
    if (!waiting) return;
    clearTimeout(waiting.timer);
    this.pending.delete(seq);
    if (failure) waiting.reject(failure);
    else waiting.resolve(outcome);
  }
}
