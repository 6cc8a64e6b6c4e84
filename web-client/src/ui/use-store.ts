import { useSyncExternalStore } from 'react';
import type { Store } from '../engine/store.ts';

/** The current value of one of the engine's stores; re-renders when it changes. */
export function useStore<T>(store: Store<T>): T {
  return useSyncExternalStore(store.subscribe, store.getSnapshot);
}
