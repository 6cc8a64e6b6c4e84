import type { EngineState } from '../engine/engine-state.ts';
import { trackerLabel } from '../engine/tracker-client.ts';

const LABELS = { online: 'Online', connecting: 'Connecting…', offline: 'Offline' } as const;

/** Shows the tracker the page is connected to (or trying) and the state of that connection. */
export function TrackerStatus({ tracker }: { tracker: EngineState['tracker'] }) {
  return (
    <div className={`tracker-status tracker-${tracker.status}`} role="status" aria-label="Tracker connection">
      <span className="dot" aria-hidden="true" />
      Tracker: {LABELS[tracker.status]}
      {tracker.url ? (
        <span className="tracker-url" data-tracker-url={tracker.url}>
          {' '}
          · {trackerLabel(tracker.url)}
        </span>
      ) : null}
      {tracker.status !== 'online' && tracker.detail ? <span className="detail"> — {tracker.detail}</span> : null}
    </div>
  );
}
