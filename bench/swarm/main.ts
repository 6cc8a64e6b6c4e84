import { runSwarmBench } from './index.ts';

// Runs the swarm benchmark alone: `node --import tsx bench/swarm/main.ts [--quick]`.
const result = await runSwarmBench({ quick: process.argv.includes('--quick'), log: (line) => console.error(line) });
console.log(JSON.stringify(result, null, 2));
