/**
 * What reading a shared file costs the browser, by read length: a picked 256 MiB file read through, in the page, in
 * `Blob.slice().arrayBuffer()` reads of 4, 8, 16 and 32 MiB with the next read started before the current one is
 * awaited (as `ReadAhead` does), the lengths alternated over three rounds. Reports the whole browser's CPU time per
 * MiB read (all its processes, from /proc), the median of the rounds. The holder pays this for every byte it serves,
 * so it sets `READ_AHEAD_BUDGET` and `MAX_READ_AHEAD` (web-client/src/engine/share/read-ahead.ts).
 *
 * `node --import tsx bench/transfer/file-reads.ts [--lengths=4,8,16,32] [--rounds=3]`
 */
import { rm } from 'node:fs/promises';
import { cpuPerMiB, cpuTimeOfTree } from '../../e2e/support/browser-memory.ts';
import { makeTempDir, writeRandomFile } from '../../e2e/support/files.ts';
import { median, MiB, round } from '../support/stats.ts';
import { startTrackerProcess } from '../support/tracker-process.ts';
import { launchBenchBrowser } from './bench-browser.ts';
import { openShoal } from './pages.ts';

const FILE_MIB = 256;
const option = (name: string, fallback: string): string =>
  process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const lengths = option('lengths', '4,8,16,32').split(',').map(Number);
const rounds = Number(option('rounds', '3'));

const dir = await makeTempDir();
const tracker = await startTrackerProcess(Number(process.env.BENCH_PORT ?? 18189));
const browser = await launchBenchBrowser('profile', tracker.url);
try {
  const file = await writeRandomFile(dir, 'reads.bin', FILE_MIB * MiB);
  const page = await openShoal(browser.holder.context, browser.holder.url);
  await page.evaluate(() => {
    const input = document.createElement('input');
    input.type = 'file';
    input.id = 'file-reads';
    document.body.append(input);
  });
  await page.setInputFiles('#file-reads', file.path);
  const cpuByLength = new Map<number, number[]>(lengths.map((length) => [length, []]));
  for (let r = 0; r < rounds; r++) {
    for (const length of lengths) {
      const before = await cpuTimeOfTree(browser.pid);
      await page.evaluate(async (bytes) => {
        const picked = (document.getElementById('file-reads') as HTMLInputElement).files?.[0];
        if (!picked) throw new Error('no file picked');
        let next = picked.slice(0, bytes).arrayBuffer();
        for (let at = 0; at < picked.size; at += bytes) {
          const current = next;
          next = picked.slice(at + bytes, at + 2 * bytes).arrayBuffer();
          await current;
        }
        await next;
      }, length * MiB);
      const cpu = cpuPerMiB(before, await cpuTimeOfTree(browser.pid), FILE_MIB);
      cpuByLength.get(length)?.push(cpu.total ?? 0);
      console.error(`round ${r + 1}: ${length} MiB reads, ${round(cpu.total ?? 0)} ms of browser CPU per MiB`);
    }
  }
  console.log('| read length | browser CPU per MiB read (median) | rounds |');
  console.log('| --- | --- | --- |');
  for (const [length, values] of cpuByLength) {
    console.log(`| ${length} MiB | ${round(median(values))} ms | ${values.map((v) => round(v)).join(', ')} |`);
  }
} finally {
  await browser.close();
  await tracker.stop();
  await rm(dir, { recursive: true, force: true });
}
