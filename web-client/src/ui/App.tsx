import { useCallback } from 'react';
import type { SearchSort } from '@shoal/common';
import { shareLinkUrl } from '../engine/links.ts';
import { requestNotificationPermission } from '../engine/watch/notify.ts';
import { canSaveAs, saveFileAs } from '../engine/save-file.ts';
import { canSaveIntoFolder, saveFolderInto } from '../engine/save-folder.ts';
import { BrowseView } from './BrowseView.tsx';
import { DisplayName } from './DisplayName.tsx';
import { useEngine, useEngineState } from './engine-context.ts';
import type { DroppedFolder } from './dropped-items.ts';
import { DropZone } from './DropZone.tsx';
import { LinkCard } from './LinkCard.tsx';
import { SearchPanel } from './SearchPanel.tsx';
import { SharePanel } from './SharePanel.tsx';
import { SourceList } from './SourceList.tsx';
import { StorageStatus } from './StorageStatus.tsx';
import { TrackerStatus } from './TrackerStatus.tsx';
import { TransferList } from './TransferList.tsx';
import { UploadSettings } from './UploadSettings.tsx';
import { useStore } from './use-store.ts';
import { WatchedSearches } from './WatchedSearches.tsx';

/** The page's own address without its hash: what share links start with. */
const pageBase = (): string => window.location.origin + window.location.pathname;

/** Closes a share link: the address loses its hash (without a new history entry), the card goes. */
function closeLink(): void {
  window.history.replaceState(null, '', window.location.pathname + window.location.search);
  window.dispatchEvent(new HashChangeEvent('hashchange'));
}

export function App() {
  const engine = useEngine();
  const state = useEngineState();
  const displayName = useStore(engine.displayName.store);
  const browsing = useStore(engine.browser.store);
  const sources = useStore(engine.sources.store);
  const share = useCallback(
    (files: File[], handles?: ReadonlyMap<File, FileSystemFileHandle>) => engine.shareFiles(files, handles),
    [engine],
  );
  const search = useCallback((query: string, sort: SearchSort) => engine.search(query, sort), [engine]);
  const shareFolder = useCallback(
    (folder: DroppedFolder, handle: FileSystemDirectoryHandle | null = null) =>
      engine.shareFolder(folder.name, folder.files, folder.emptyFolders, handle),
    [engine],
  );
  const dropError = useCallback((message: string) => engine.reportProblem(message), [engine]);
  const saveAs = async (key: string) => {
    const finished = engine.finishedFile(key);
    if (finished) await saveFileAs(finished.file, finished.name).catch((error: unknown) => dropError(String(error)));
  };
  const watch = (query: string) => {
    // Asked from the click itself: browsers only let a page ask for notifications then.
    requestNotificationPermission();
    engine.watched.add(query);
  };
  const saveInto = async (key: string) => {
    const folder = engine.finishedFolder(key);
    if (folder) await saveFolderInto(folder).catch((error: unknown) => dropError(String(error)));
  };

  return (
    <DropZone onFiles={share} onFolder={shareFolder} onError={dropError}>
      <header className="top">
        <h1>Shoal</h1>
        <DisplayName view={displayName} onRename={(name) => engine.displayName.rename(name)} />
        <TrackerStatus tracker={state.tracker} />
      </header>
      <StorageStatus storage={state.storage} />
      {state.problem ? (
        <p className="problem" role="alert">
          {state.problem}{' '}
          <button type="button" onClick={() => engine.reportProblem(null)}>
            Dismiss
          </button>
        </p>
      ) : null}
      <main>
        {state.link ? (
          <LinkCard link={state.link} onDownload={() => engine.links.download()} onClose={closeLink} />
        ) : null}
        <SharePanel
          shares={state.shares}
          onFiles={share}
          onFolder={shareFolder}
          onRemove={(key) => engine.unshare(key)}
          onRegrant={(key) => void engine.regrantAccess(key)}
          onPickAgain={(key, file) => void engine.pickedAgain(key, file)}
          onFolderPickedAgain={(key, folder) => engine.folderPickedAgain(key, folder)}
          linkOf={(share) =>
            shareLinkUrl(pageBase(), {
              id: share.id ?? '',
              name: share.name,
              size: share.size,
              isFolder: share.isFolder,
            })
          }
        />
        <UploadSettings uploads={state.uploads} onApply={(settings) => engine.setUploadSettings(settings)} />
        <SearchPanel
          search={state.search}
          onSearch={search}
          onMore={() => engine.moreResults()}
          onDownload={(result) => void engine.download(result)}
          onWatch={watch}
          renderExtra={(result) => (
            <SourceList
              result={result}
              view={sources[result.id]}
              onShow={(fileId) => engine.sources.show(fileId)}
              onHide={(fileId) => engine.sources.hide(fileId)}
              onBrowse={(peerId, name) => engine.browser.open(peerId, name)}
            />
          )}
        />
        {browsing ? (
          <BrowseView
            view={browsing}
            onOpenFolder={(entry) => engine.browser.openFolder(entry)}
            onCrumb={(index) => engine.browser.goTo(index)}
            onMore={() => engine.browser.more()}
            onRetry={() => engine.browser.retry()}
            onDownload={(entry) => engine.browser.download(entry)}
            onClose={() => engine.browser.close()}
          />
        ) : null}
        <WatchedSearches
          watched={state.watched}
          online={state.tracker.status === 'online'}
          onRemove={(key) => engine.watched.remove(key)}
          onDownloadWhenFound={(key, value) => engine.watched.setDownloadWhenFound(key, value)}
          onDownload={(result) => void engine.download(result)}
          onDismissNotice={() => engine.watched.dismissNotice()}
        />
        <TransferList
          transfers={state.transfers}
          onCancel={(key) => engine.cancelTransfer(key)}
          onPause={(key) => engine.pauseTransfer(key)}
          onResume={(key) => engine.resumeTransfer(key)}
          onSave={(key) => engine.saveTransfer(key)}
          onSaveAs={canSaveAs() ? (key) => void saveAs(key) : undefined}
          onSaveInto={canSaveIntoFolder() ? (key) => void saveInto(key) : undefined}
          onDismiss={(key) => engine.dismissTransfer(key)}
        />
      </main>
    </DropZone>
  );
}
