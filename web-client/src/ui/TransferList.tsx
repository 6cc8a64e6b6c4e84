import type { TransferView } from '../engine/engine-state.ts';
import { describeQueue } from '../engine/transfer/queue-summary.ts';
import { formatBytes, formatDuration, formatSpeed } from '../format.ts';
import { transferProgress } from './transfer-progress.ts';
import { ProgressBar } from './ProgressBar.tsx';

interface TransferListProps {
  transfers: TransferView[];
  onCancel: (key: string) => void;
  onPause: (key: string) => void;
  onResume: (key: string) => void;
  onSave: (key: string) => void;
  /** Saves to a place the user picks; absent where the browser cannot. */
  onSaveAs?: (key: string) => void;
  /** Writes a downloaded folder into a folder the user picks; absent where the browser cannot. */
  onSaveInto?: (key: string) => void;
  onDismiss: (key: string) => void;
}

const STATUS_LABELS: Record<TransferView['status'], string> = {
  connecting: 'Connecting',
  downloading: 'Downloading',
  queued: 'Queued',
  waiting: 'Waiting for a holder',
  paused: 'Paused',
  saving: 'Saving',
  complete: 'Complete',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

function TransferRow({
  transfer,
  onCancel,
  onPause,
  onResume,
  onSave,
  onSaveAs,
  onSaveInto,
  onDismiss,
}: { transfer: TransferView } & Omit<TransferListProps, 'transfers'>) {
  const { sizeKnown, percent: done } = transferProgress(transfer);
  const running =
    transfer.status === 'downloading' ||
    transfer.status === 'connecting' ||
    transfer.status === 'queued' ||
    transfer.status === 'waiting';
  const active = running || transfer.status === 'paused';
  return (
    <li className="row transfer" data-status={transfer.status}>
      <bdi className="name" title={transfer.name}>
        {transfer.name}
      </bdi>
      <ProgressBar label={`Download progress ${transfer.name}`} value={done} />
      <span className="numbers">
        {sizeKnown ? `${formatBytes(transfer.verifiedBytes)} of ${formatBytes(transfer.totalBytes)} · ${done} %` : null}
        {transfer.status === 'downloading' ? (
          <>
            {' '}
            · {formatSpeed(transfer.bytesPerSecond)} · {formatDuration(transfer.secondsLeft)} left · {transfer.peers}{' '}
            {transfer.peers === 1 ? 'peer' : 'peers'}
          </>
        ) : null}
      </span>
      <span className={`state state-${transfer.status}`}>{STATUS_LABELS[transfer.status]}</span>
      {transfer.sources.length > 0 ? (
        <span className="sources" aria-label={`Sources of ${transfer.name}`}>
          {transfer.sources
            .map(
              (source) =>
                `${source.peerId.slice(0, 6)}${source.connected ? '' : ' (gone)'}: ${formatBytes(source.bytes)}`,
            )
            .join(' · ')}
        </span>
      ) : null}
      {running && transfer.queue.length > 0 ? (
        <span className="queue" aria-label={`Queue place of ${transfer.name}`}>
          {describeQueue(transfer.queue)}
        </span>
      ) : null}
      {transfer.status === 'waiting' || transfer.status === 'failed' ? (
        <span className="message">{transfer.message}</span>
      ) : null}
      {running ? (
        <button type="button" onClick={() => onPause(transfer.key)} aria-label={`Pause ${transfer.name}`}>
          Pause
        </button>
      ) : null}
      {transfer.status === 'paused' ? (
        <button type="button" onClick={() => onResume(transfer.key)} aria-label={`Resume ${transfer.name}`}>
          Resume
        </button>
      ) : null}
      {active ? (
        <button type="button" onClick={() => onCancel(transfer.key)} aria-label={`Cancel ${transfer.name}`}>
          Cancel
        </button>
      ) : null}
      {transfer.status === 'complete' ? (
        <button type="button" onClick={() => onSave(transfer.key)} aria-label={`Save ${transfer.name}`}>
          Save again
        </button>
      ) : null}
      {transfer.status === 'complete' && transfer.isFolder && onSaveInto ? (
        <button
          type="button"
          onClick={() => onSaveInto(transfer.key)}
          aria-label={`Save ${transfer.name} into a folder`}
        >
          Save into a folder…
        </button>
      ) : null}
      {transfer.status === 'complete' && !transfer.isFolder && onSaveAs ? (
        <button type="button" onClick={() => onSaveAs(transfer.key)} aria-label={`Save ${transfer.name} as`}>
          Save as…
        </button>
      ) : null}
      {!active && transfer.status !== 'saving' ? (
        <button type="button" onClick={() => onDismiss(transfer.key)} aria-label={`Dismiss ${transfer.name}`}>
          Dismiss
        </button>
      ) : null}
    </li>
  );
}

/** Downloads with their progress, speed, time left and state. */
export function TransferList(props: TransferListProps) {
  if (props.transfers.length === 0) return null;
  return (
    <section className="panel" aria-labelledby="transfers-heading">
      <h2 id="transfers-heading">Transfers</h2>
      <ul className="rows" aria-label="Transfers">
        {props.transfers.map((transfer) => (
          <TransferRow
            key={transfer.key}
            transfer={transfer}
            onCancel={props.onCancel}
            onPause={props.onPause}
            onResume={props.onResume}
            onSave={props.onSave}
            onSaveAs={props.onSaveAs}
            onSaveInto={props.onSaveInto}
            onDismiss={props.onDismiss}
          />
        ))}
      </ul>
    </section>
  );
}
