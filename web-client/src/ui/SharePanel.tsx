import { useRef } from 'react';
import type { ShareView } from '../engine/engine-state.ts';
import { formatBytes, percent } from '../format.ts';
import { CopyLinkButton } from './CopyLinkButton.tsx';
import { ProgressBar } from './ProgressBar.tsx';
import { pickedFolder, type DroppedFolder } from './dropped-items.ts';

interface SharePanelProps {
  shares: ShareView[];
  onFiles: (files: File[]) => void;
  onFolder: (folder: DroppedFolder) => void;
  onRemove: (key: string) => void;
  onRegrant: (key: string) => void;
  onPickAgain: (key: string, file: File) => void;
  onFolderPickedAgain: (key: string, folder: DroppedFolder) => void;
  /** The share link of a shared file or folder. */
  linkOf?: (share: ShareView) => string;
}

function shareStatus(share: ShareView): string {
  if (share.status === 'hashing') return `Hashing… ${percent(share.hashedBytes, share.size)} %`;
  if (share.status === 'failed') return `Not shared: ${share.error ?? 'unknown error'}`;
  if (share.status === 'needs-access') return share.error ? `Needs access again: ${share.error}` : 'Needs access again';
  if (share.error) return `Not registered: ${share.error}`;
  return share.registered ? 'Shared' : 'Shared (waiting for the tracker)';
}

/** The "Share files" button and the list of files this page shares. */
/** Buttons that give the page a file it shared before a reload again: re-grant access, or pick the file. */
function GiveAccess({
  share,
  onRegrant,
  onPickAgain,
  onFolderPickedAgain,
}: { share: ShareView } & Pick<SharePanelProps, 'onRegrant' | 'onPickAgain' | 'onFolderPickedAgain'>) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      {share.canRegrant ? (
        <button type="button" onClick={() => onRegrant(share.key)} aria-label={`Allow access to ${share.name}`}>
          Allow access
        </button>
      ) : null}
      <button type="button" onClick={() => input.current?.click()} aria-label={`Pick ${share.name} again`}>
        Pick again
      </button>
      <input
        ref={(element) => {
          input.current = element;
          if (share.isFolder) element?.setAttribute('webkitdirectory', '');
        }}
        type="file"
        hidden
        onChange={(event) => {
          const files = Array.from(event.currentTarget.files ?? []);
          event.currentTarget.value = '';
          const folder = share.isFolder ? pickedFolder(files) : null;
          if (folder) onFolderPickedAgain(share.key, folder);
          else if (!share.isFolder && files[0]) onPickAgain(share.key, files[0]);
        }}
      />
    </>
  );
}

export function SharePanel({
  shares,
  onFiles,
  onFolder,
  onRemove,
  onRegrant,
  onPickAgain,
  onFolderPickedAgain,
  linkOf,
}: SharePanelProps) {
  const input = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);
  return (
    <section className="panel" aria-labelledby="shares-heading">
      <div className="panel-head">
        <h2 id="shares-heading">My shared files</h2>
        <button type="button" onClick={() => input.current?.click()}>
          Share files
        </button>
        <input
          ref={input}
          type="file"
          multiple
          hidden
          data-testid="share-input"
          onChange={(event) => {
            const files = Array.from(event.currentTarget.files ?? []);
            event.currentTarget.value = '';
            if (files.length > 0) onFiles(files);
          }}
        />
        <button type="button" onClick={() => folderInput.current?.click()}>
          Share folder
        </button>
        <input
          ref={(element) => {
            folderInput.current = element;
            // React does not know the attribute that makes a file input pick a folder.
            element?.setAttribute('webkitdirectory', '');
          }}
          type="file"
          hidden
          data-testid="share-folder-input"
          onChange={(event) => {
            const folder = pickedFolder(Array.from(event.currentTarget.files ?? []));
            event.currentTarget.value = '';
            if (folder) onFolder(folder);
          }}
        />
      </div>
      {shares.length === 0 ? (
        <p className="hint">Drop files or folders anywhere on this page, or use “Share files” or “Share folder”.</p>
      ) : (
        <ul className="rows" aria-label="My shared files">
          {shares.map((share) => (
            <li key={share.key} className="row">
              <bdi className="name" title={share.name}>
                {share.name}
              </bdi>
              <span className="size">
                {share.isFolder ? 'Folder · ' : ''}
                {formatBytes(share.size)}
              </span>
              <span className={`state state-${share.status}`}>{shareStatus(share)}</span>
              {share.status === 'hashing' ? (
                <ProgressBar label={`Hashing ${share.name}`} value={percent(share.hashedBytes, share.size)} />
              ) : null}
              {share.status === 'needs-access' ? (
                <GiveAccess
                  share={share}
                  onRegrant={onRegrant}
                  onPickAgain={onPickAgain}
                  onFolderPickedAgain={onFolderPickedAgain}
                />
              ) : null}
              {linkOf && share.status === 'shared' && share.id ? (
                <CopyLinkButton url={linkOf(share)} name={share.name} />
              ) : null}
              <button type="button" onClick={() => onRemove(share.key)} aria-label={`Remove ${share.name}`}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
