/**
 * Child process: the real Shoal tracker (`createTracker` with the configuration `main.ts` would read), plus a
 * bench-only IPC channel for its memory, CPU time and in-process registry searches. Run with `--expose-gc`.
 */
import { DEFAULT_SEARCH_LIMIT } from '@shoal/common';
import { createLogger, createTracker, loadConfig } from '@shoal/signaling-server';
import type { ServerApi, ServerInfo } from './child-api.ts';
import { serve } from './rpc.ts';
import { readCpu, readMemory } from './process-readings.ts';

const config = loadConfig({ ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' });
const logger = createLogger(config);
const tracker = await createTracker({ config, logger });
const { port } = await tracker.listen();

const api: ServerApi = {
  memory: ({ gc }) => readMemory(gc),
  cpu: () => readCpu(),
  async counts() {
    const stats = await tracker.registry.stats();
    return { ...stats, connections: tracker.io.engine.clientsCount };
  },
  async registrySearch({ queries, repeat }) {
    const latenciesMs: number[] = [];
    const totals: number[] = [];
    for (let round = 0; round < repeat; round++) {
      for (const query of queries) {
        const started = performance.now();
        const page = await tracker.registry.search({ query, offset: 0, limit: DEFAULT_SEARCH_LIMIT });
        latenciesMs.push(performance.now() - started);
        if (round === 0) totals.push(page.total);
      }
    }
    return { latenciesMs, totals, errors: {} };
  },
};

const info: ServerInfo = { port };
serve(api, info);
// The runner stops children with SIGTERM: exit normally, so `--cpu-prof` (see README) gets to write its profile.
process.on('SIGTERM', () => process.exit(0));
