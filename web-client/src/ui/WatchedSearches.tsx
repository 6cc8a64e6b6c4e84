import { FOLDER_MIME_TYPE, type SearchResult } from '@shoal/common';
import type { WatchedSearchView, WatchedView } from '../engine/engine-state.ts';
import { formatBytes } from '../format.ts';
import { describeSources } from './SearchPanel.tsx';

interface WatchedSearchesProps {
  watched: WatchedView;
  /** Whether the page is connected (watches only run while it is). */
  online: boolean;
  onRemove: (key: string) => void;
  onDownloadWhenFound: (key: string, value: boolean) => void;
  onDownload: (result: SearchResult) => void;
  onDismissNotice: () => void;
}

function watchStatus(watch: WatchedSearchView, online: boolean): string {
  if (watch.status === 'refused') return `Not watched: ${watch.error ?? 'refused'}`;
  if (watch.status === 'pending' || !online) return 'Waiting for the tracker';
  const found = watch.matches.length;
  return found === 0 ? 'Watching: no new file yet' : `Watching: ${found} new ${found === 1 ? 'file' : 'files'}`;
}

function MatchRow({ match, onDownload }: { match: SearchResult; onDownload: (result: SearchResult) => void }) {
  const folder = match.mimeType === FOLDER_MIME_TYPE;
  return (
    <li className="row match">
      <bdi className="name" title={match.name}>
        {match.name}
      </bdi>
      <span className="size">{folder ? 'Folder' : formatBytes(match.size)}</span>
      <span className="holders">{describeSources(match)}</span>
      <button type="button" onClick={() => onDownload(match)} aria-label={`Download ${match.name}`}>
        {folder ? 'Download folder' : 'Download'}
      </button>
    </li>
  );
}

/**
 * The watched searches: each query with what it found (newest first), a "Download when found" box and Remove.
 * Watches are kept in this browser; the tracker runs them while the page is connected, and catches them up on what
 * was shared while it was not.
 */
export function WatchedSearches({
  watched,
  online,
  onRemove,
  onDownloadWhenFound,
  onDownload,
  onDismissNotice,
}: WatchedSearchesProps) {
  return (
    <section className="panel" aria-labelledby="watched-heading">
      <h2 id="watched-heading">Watched searches</h2>
      {watched.notice ? (
        <p className="problem" role="alert">
          {watched.notice}{' '}
          <button type="button" onClick={onDismissNotice}>
            Dismiss
          </button>
        </p>
      ) : null}
      {watched.searches.length === 0 ? (
        <p className="hint">
          Search, then click “Watch this search”: files shared later that match it show up here, those shared while this
          page was closed too when it is back.
        </p>
      ) : (
        <ul className="rows" aria-label="Watched searches">
          {watched.searches.map((watch) => (
            <li key={watch.key} className="row watch">
              <bdi className="name" title={watch.query}>
                “{watch.query}”
              </bdi>
              <span className={`state state-${watch.status}`}>{watchStatus(watch, online)}</span>
              <label className="check">
                <input
                  type="checkbox"
                  checked={watch.downloadWhenFound}
                  onChange={(event) => onDownloadWhenFound(watch.key, event.currentTarget.checked)}
                />{' '}
                Download when found
              </label>
              <button type="button" onClick={() => onRemove(watch.key)} aria-label={`Stop watching ${watch.query}`}>
                Remove
              </button>
              {watch.matches.length > 0 ? (
                <ul className="rows matches" aria-label={`New files for ${watch.query}`}>
                  {watch.matches.map((match) => (
                    <MatchRow key={match.id} match={match} onDownload={onDownload} />
                  ))}
                </ul>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
