/**
 * A minimal external store: an immutable snapshot replaced on every change, for React's `useSyncExternalStore`.
 * Keeps the engine free of React while letting the UI re-render only when something changed.
 */
export interface Store<T> {
  getSnapshot(): T;
  subscribe(listener: () => void): () => void;
}

/** A store the engine can write to. */
export interface WritableStore<T> extends Store<T> {
  update(change: (state: T) => T): void;
}

export function createStore<T>(initial: T): WritableStore<T> {
  let state = initial;
  const listeners = new Set<() => void>();
  return {
    getSnapshot: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    update(change) {
      const next = change(state);
      if (next === state) return;
      state = next;
      for (const listener of listeners) listener();
    },
  };
}
