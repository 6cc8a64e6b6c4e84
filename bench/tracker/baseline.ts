/** Running the bittorrent-tracker baseline so that its failure never takes the Shoal figures down with it. */
import type { BittorrentTracker } from './bittorrent-phases.ts';
import type { Worker } from './workers.ts';

/** The first line of an error's message. */
export function reasonOf(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? 'unknown error';
}

/**
 * The baseline's steps run through this: the first failure stops bittorrent-tracker, is logged and recorded, and
 * the rest of the benchmark goes on without it.
 */
export class Baseline {
  tracker: BittorrentTracker | undefined;
  skipped: string | undefined;

  constructor(
    private readonly workers: readonly Worker[],
    private readonly log: (line: string) => void,
  ) {}

  async step<T>(run: (tracker: BittorrentTracker) => Promise<T>): Promise<T | undefined> {
    if (!this.tracker) return undefined;
    try {
      return await run(this.tracker);
    } catch (err) {
      this.skipped = reasonOf(err);
      this.log(`tracker: bittorrent-tracker baseline dropped: ${this.skipped}`);
      await this.stop();
      return undefined;
    }
  }

  async stop(): Promise<void> {
    const tracker = this.tracker;
    this.tracker = undefined;
    if (!tracker) return;
    await Promise.all(this.workers.map((worker) => worker.call('disconnectBittorrent', null).catch(() => undefined)));
    await tracker.server.stop();
  }
}
