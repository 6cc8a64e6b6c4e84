/** The Shoal tracker: build one with {@link createTracker}; `main.ts` runs it as a process. */
export { createTracker, type Tracker, type TrackerOptions, type TrackerServer, type TrackerSocket } from './tracker.ts';
export { ConfigError, DEFAULT_STATIC_DIR, loadConfig, type Config } from './config.ts';
export { createLogger } from './logger.ts';
export { missingNodeFlags, TRACKER_NODE_FLAGS } from './node-flags.ts';
export type { RegisterOutcome, Registry, RegistryError, RegistryStats, SearchParams } from './registry/registry.ts';
export { MemoryRegistry, type MemoryRegistryOptions } from './registry/memory.ts';
