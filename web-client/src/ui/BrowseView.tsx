import { useEffect, useRef } from 'react';
import type { BrowseEntry, BrowseFolderEntry } from '@shoal/common';
import type { BrowseView as BrowseViewState } from '../engine/browse/peer-browser.ts';
import { formatBytes } from '../format.ts';

interface BrowseViewProps {
  view: BrowseViewState;
  onOpenFolder: (entry: BrowseFolderEntry) => void;
  onCrumb: (index: number) => void;
  onMore: () => void;
  onRetry: () => void;
  onDownload: (entry: BrowseEntry) => void;
  onClose: () => void;
}

function describeFolder(entry: BrowseFolderEntry): string {
  return `Folder · ${entry.count} ${entry.count === 1 ? 'file' : 'files'}, ${formatBytes(entry.size)}`;
}

/** One peer's shares as a folder tree: breadcrumbs, one folder level at a time, Download on everything. */
export function BrowseView({ view, onOpenFolder, onCrumb, onMore, onRetry, onDownload, onClose }: BrowseViewProps) {
  const who = view.peerName ?? 'Unnamed peer';
  const current = view.crumbs.length - 1;
  const panel = useRef<HTMLElement>(null);
  // Opened from a source list that may be far up the page: bring the view to the person.
  // (Braces: an effect may return only its clean-up, and newer browsers' scrollIntoView returns a promise.)
  useEffect(() => {
    void panel.current?.scrollIntoView({ block: 'nearest' });
  }, [view.peerId]);
  return (
    <section ref={panel} className="panel browse" aria-labelledby="browse-heading">
      <div className="panel-head">
        <h2 id="browse-heading">
          Browsing <bdi className="peer-name">{who}</bdi>
        </h2>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
      <nav aria-label="Folder path">
        <ol className="crumbs">
          {view.crumbs.map((crumb, index) => (
            <li key={index}>
              {index === current ? (
                <bdi aria-current="location">{crumb.label}</bdi>
              ) : (
                <button type="button" className="peer-link" onClick={() => onCrumb(index)}>
                  <bdi>{crumb.label}</bdi>
                </button>
              )}
            </li>
          ))}
        </ol>
      </nav>
      {view.status === 'loading' ? <p className="hint">Loading…</p> : null}
      {view.error ? (
        <p className="problem-inline" role="alert">
          {view.error}{' '}
          <button type="button" onClick={onRetry}>
            Try again
          </button>
        </p>
      ) : null}
      {view.status === 'ready' && view.total === 0 ? <p className="hint">Nothing shared here.</p> : null}
      {view.entries.length > 0 ? (
        <ul className="rows" aria-label={`Shared by ${who}`}>
          {view.entries.map((entry, index) => (
            <li key={`${index}:${entry.name}`} className="row" data-kind={entry.kind}>
              {entry.kind === 'folder' ? (
                <>
                  <button
                    type="button"
                    className="peer-link name"
                    aria-label={`Open folder ${entry.name}`}
                    onClick={() => onOpenFolder(entry)}
                  >
                    <bdi>{entry.name}</bdi>
                  </button>
                  <span className="size">{describeFolder(entry)}</span>
                  <button type="button" onClick={() => onDownload(entry)} aria-label={`Download folder ${entry.name}`}>
                    Download folder
                  </button>
                </>
              ) : (
                <>
                  <bdi className="name" title={entry.name}>
                    {entry.name}
                  </bdi>
                  <span className="size">{formatBytes(entry.size)}</span>
                  <button type="button" onClick={() => onDownload(entry)} aria-label={`Download ${entry.name}`}>
                    Download
                  </button>
                </>
              )}
            </li>
          ))}
        </ul>
      ) : null}
      {view.status === 'ready' && view.entries.length < view.total ? (
        <p>
          <span className="hint">
            Showing {view.entries.length} of {view.total}.{' '}
          </span>
          <button type="button" onClick={onMore} disabled={view.loadingMore}>
            {view.loadingMore ? 'Loading…' : 'More'}
          </button>
        </p>
      ) : null}
    </section>
  );
}
