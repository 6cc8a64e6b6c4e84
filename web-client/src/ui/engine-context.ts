import { createContext, useContext, useSyncExternalStore } from 'react';
import type { ShoalEngine } from '../engine/engine.ts';
import type { EngineState } from '../engine/engine-state.ts';

export const EngineContext = createContext<ShoalEngine | null>(null);

/** The engine, for calling its actions. */
export function useEngine(): ShoalEngine {
  const engine = useContext(EngineContext);
  if (!engine) throw new Error('useEngine needs an EngineContext provider');
  return engine;
}

/**
 * One part of the engine's state; re-renders only when that part changes. The engine replaces a part's object only
 * when it changes, so a download's progress, published five times a second, re-renders the transfer list and not the
 * whole page (which cost the downloading page about 1.3 ms of its main thread per MiB received, in a CPU profile).
 */
export function useEngineState<K extends keyof EngineState>(part: K): EngineState[K] {
  const engine = useEngine();
  return useSyncExternalStore(engine.store.subscribe, () => engine.store.getSnapshot()[part]);
}
