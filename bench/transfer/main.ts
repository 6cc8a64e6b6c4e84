import { runTransferBench } from './index.ts';

// Runs the browser part of the benchmark alone: `node --import tsx bench/transfer/main.ts [--quick]`.
const result = await runTransferBench({ quick: process.argv.includes('--quick'), log: (line) => console.error(line) });
console.log(JSON.stringify(result, null, 2));
