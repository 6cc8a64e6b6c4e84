import path from 'node:path';
import { writeFile } from 'node:fs/promises';
import { tempDir, writeRandomFile } from '../../e2e/support/files.ts';
import { MiB } from '../support/stats.ts';
import { startTrackerProcess } from '../support/tracker-process.ts';
import { launchBenchBrowser } from '../transfer/bench-browser.ts';
import { nextMeasure, openShoal, share } from '../transfer/pages.ts';

const bytes = 128 * MiB;
const dir = await tempDir();
const tracker = await startTrackerProcess(18189);
const browser = await launchBenchBrowser('profile', tracker.url);
try {
  const file = await writeRandomFile(dir, 'prof.bin', bytes);
  await browser.holder.context.addInitScript(() => {
    const w = window as any; w.sliceStats = { n: 0, ms: 0, max: 0, abN: 0, abMs: 0 };
    const orig = Blob.prototype.slice;
    Blob.prototype.slice = function (...args: any[]) { const t = performance.now(); const r = orig.apply(this, args as any); const d = performance.now() - t; w.sliceStats.n++; w.sliceStats.ms += d; w.sliceStats.max = Math.max(w.sliceStats.max, d); return r; };
  });
  const holderPage = await openShoal(browser.holder.context, browser.holder.url);
  await share(holderPage, file.path);
  const side = await browser.newDownloader();
  const page = await openShoal(side.context, side.url);
  const name = path.basename(file.path);
  await page.getByRole('searchbox', { name: 'Search', exact: true }).fill(name);
  const row = page.getByRole('list', { name: 'Search results' }).getByRole('listitem').filter({ hasText: name });
  await row.waitFor();
  const sessions = [await browser.holder.context.newCDPSession(holderPage), await side.context.newCDPSession(page)];
  for (const s of sessions) { await s.send('Profiler.enable'); await s.send('Profiler.setSamplingInterval', { interval: 200 }); await s.send('Profiler.start'); }
  await row.getByRole('button', { name: /^Download/ }).click();
  await nextMeasure(page, 'shoal:transfer', 0);
  console.log(await holderPage.evaluate(() => (window as any).sliceStats));
  const names = ['holder', 'downloader'];
  for (const [i, s] of sessions.entries()) {
    const { profile } = await s.send('Profiler.stop');
    await writeFile(`/tmp/${names[i]}.cpuprofile`, JSON.stringify(profile));
  }
} finally {
  await browser.close();
  await tracker.stop();
}
