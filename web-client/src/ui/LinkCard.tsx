import { FOLDER_MIME_TYPE } from '@shoal/common';
import type { LinkView } from '../engine/engine-state.ts';
import { formatBytes } from '../format.ts';
import { describeSources } from './SearchPanel.tsx';

interface LinkCardProps {
  link: LinkView;
  onDownload: () => void;
  onClose: () => void;
}

function linkStatus(link: LinkView): string {
  switch (link.status) {
    case 'looking':
      return 'Looking for it…';
    case 'found':
      return link.file ? describeSources(link.file) : '';
    case 'waiting':
      return `Nobody holds this ${link.isFolder ? 'folder' : 'file'} right now — it will start by itself when a holder appears.`;
    case 'started':
      return 'Downloading: see Transfers.';
    case 'failed':
      return `Could not look it up: ${link.error ?? 'unknown error'}`;
  }
}

/**
 * The file or folder a share link names: its name and size (the link's hints until the tracker answers), who holds
 * it, and Download. The content id in the link decides the bytes; the name is only what to call them.
 */
export function LinkCard({ link, onDownload, onClose }: LinkCardProps) {
  const folder = link.file ? link.file.mimeType === FOLDER_MIME_TYPE : link.isFolder;
  const name = link.file?.name ?? link.hintName ?? `Shared ${folder ? 'folder' : 'file'}`;
  const size = folder
    ? 'Folder'
    : link.file
      ? formatBytes(link.file.size)
      : link.hintSize !== null
        ? formatBytes(link.hintSize)
        : '';
  return (
    <section className="panel link-card" aria-labelledby="link-heading">
      <div className="panel-head">
        <h2 id="link-heading">Shared with you</h2>
        <button type="button" onClick={onClose} aria-label="Close the shared link">
          Close
        </button>
      </div>
      <div className="row">
        <bdi className="name" title={name}>
          {name}
        </bdi>
        <span className="size">{size}</span>
        <span className={`state state-${link.status}`} role="status">
          {linkStatus(link)}
        </span>
        {link.status === 'found' ? (
          <button type="button" onClick={onDownload} aria-label={`Download ${name}`}>
            {folder ? 'Download folder' : 'Download'}
          </button>
        ) : null}
      </div>
    </section>
  );
}
