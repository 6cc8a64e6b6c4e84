import { runStorageBench } from './index.ts';

// Runs the storage part of the benchmark alone: `node --import tsx bench/storage/main.ts [--quick]`.
const result = await runStorageBench({ quick: process.argv.includes('--quick'), log: (line) => console.error(line) });
console.log(JSON.stringify(result, null, 2));
