import type { StorageView } from '../engine/engine-state.ts';
import { formatBytes } from '../format.ts';

/** What the page's downloads take in browser storage, what is free, and anything to know about it. */
export function StorageStatus({ storage }: { storage: StorageView }) {
  if (storage.status === 'opening') return null;
  return (
    <section className="storage" aria-label="Storage">
      <span>
        Downloads use {formatBytes(storage.usedBytes)}
        {storage.freeBytes !== null ? ` · ${formatBytes(storage.freeBytes)} free` : null}
        {storage.persistent ? ' · kept across reloads' : ''}
      </span>
      {storage.note ? <span className="message">{storage.note}</span> : null}
    </section>
  );
}
