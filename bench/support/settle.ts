import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';

const run = promisify(execFile);

/** A moment for what ended just before (pages closing, storage being cleared) to finish. */
const QUIET_MS = 500;

/**
 * Lets the machine go quiet before a timed run. The kernel writes files out up to 30 s after they were written (a
 * benchmark's input file, the file a download saved), and that writing would land in whichever run comes next: `sync`
 * makes it happen now, between runs.
 */
export async function settle(): Promise<void> {
  await run('sync');
  await sleep(QUIET_MS);
}
