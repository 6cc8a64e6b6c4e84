/**
 * Child process: the real Shoal tracker (`createTracker` with the configuration `main.ts` would read), plus a
 * bench-only IPC channel for its memory, CPU time and in-process registry searches. Run with `--expose-gc`.
 */
import { DEFAULT_SEARCH_LIMIT, parseSearchQuery } from '@shoal/common';
import { createLogger, createTracker, loadConfig } from '@shoal/signaling-server';
import type { ServerApi, ServerInfo } from './child-api.ts';
import { observeGcPauses, takeGcPauses } from './gc-pauses.ts';
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
    const errors: Record<string, number> = {};
    for (let round = 0; round < repeat; round++) {
      for (const { query, sort = 'relevance' } of queries) {
        // Parsed as the handler parses it, inside the timing: it is part of every search.
        const started = performance.now();
        const parsed = parseSearchQuery(query);
        const page = parsed.ok
          ? await tracker.registry.search({ query: parsed.query, sort, offset: 0, limit: DEFAULT_SEARCH_LIMIT })
          : undefined;
        latenciesMs.push(performance.now() - started);
        if (!page) errors.INVALID_QUERY = (errors.INVALID_QUERY ?? 0) + 1;
        if (round === 0) totals.push(page?.total ?? -1);
      }
    }
    return { latenciesMs, totals, errors };
  },
  gcPauses: () => takeGcPauses(),
};
observeGcPauses();

const info: ServerInfo = { port };
serve(api, info);
// The runner stops children with SIGTERM: exit normally, so `--cpu-prof` (see README) gets to write its profile.
process.on('SIGTERM', () => process.exit(0));
