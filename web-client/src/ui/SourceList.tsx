import type { SearchResult } from '@shoal/common';
import type { SourcesView } from '../engine/browse/source-lists.ts';

interface SourceListProps {
  result: SearchResult;
  /** The result's sources, when opened. */
  view: SourcesView | undefined;
  onShow: (fileId: string) => void;
  onHide: (fileId: string) => void;
  /** Opens the browse view of a holder. */
  onBrowse: (peerId: string, name: string | null) => void;
}

/** A search result's holders by name, loaded when opened; clicking one browses what it shares. */
export function SourceList({ result, view, onShow, onHide, onBrowse }: SourceListProps) {
  if (!view) {
    return (
      <button type="button" onClick={() => onShow(result.id)} aria-label={`Show sources of ${result.name}`}>
        Sources
      </button>
    );
  }
  return (
    <div className="source-list">
      <button type="button" onClick={() => onHide(result.id)} aria-label={`Hide sources of ${result.name}`}>
        Hide sources
      </button>
      {view.status === 'loading' ? <span className="hint">Loading sources…</span> : null}
      {view.status === 'failed' ? <span className="hint">Could not load the sources: {view.error}</span> : null}
      {view.status === 'ready' && view.sources.length === 0 ? (
        <span className="hint">No other peer holds it right now.</span>
      ) : null}
      {view.sources.length > 0 ? (
        <ul aria-label={`Sources of ${result.name}`}>
          {view.sources.map((source) => (
            <li key={source.peerId}>
              <button
                type="button"
                className="peer-link"
                title="Browse what this peer shares"
                aria-label={`Browse ${source.name ?? 'unnamed peer'}`}
                onClick={() => onBrowse(source.peerId, source.name)}
              >
                <bdi className="peer-name">{source.name ?? 'Unnamed peer'}</bdi>
              </button>{' '}
              <span className="hint">{source.complete ? 'complete' : 'partial'}</span>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
