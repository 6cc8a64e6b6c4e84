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

/** The engine's current state; re-renders when it changes. */
export function useEngineState(): EngineState {
  const engine = useEngine();
  return useSyncExternalStore(engine.store.subscribe, engine.store.getSnapshot);
}
