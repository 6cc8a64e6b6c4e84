import { BENCH_PROFILES, type BenchProfile } from './bench-browser.ts';
import { runTransferBench } from './index.ts';

// Runs the browser part of the benchmark alone: `node --import tsx bench/transfer/main.ts [--quick] [--profile=incognito]`.
const profile = (process.argv.find((arg) => arg.startsWith('--profile='))?.slice(10) ?? 'profile') as BenchProfile;
if (!BENCH_PROFILES.includes(profile)) throw new Error(`unknown --profile ${profile}: ${BENCH_PROFILES.join(' or ')}`);
const result = await runTransferBench({
  quick: process.argv.includes('--quick'),
  profile,
  log: (line) => console.error(line),
});
console.log(JSON.stringify(result, null, 2));
