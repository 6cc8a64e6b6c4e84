import type { EngineState } from '../engine/engine-state.ts';

const LABELS = { online: 'Online', connecting: 'Connecting…', offline: 'Offline' } as const;

/** Shows whether the page is connected to the tracker. */
export function TrackerStatus({ tracker }: { tracker: EngineState['tracker'] }) {
  return (
    <div className={`tracker-status tracker-${tracker.status}`} role="status" aria-label="Tracker connection">
      <span className="dot" aria-hidden="true" />
      Tracker: {LABELS[tracker.status]}
      {tracker.status !== 'online' && tracker.detail ? <span className="detail"> — {tracker.detail}</span> : null}
    </div>
  );
}
