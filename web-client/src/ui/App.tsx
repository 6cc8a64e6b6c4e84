import { useCallback } from 'react';
import type { SearchSort } from '@shoal/common';
import type { ShoalEngine } from '../engine/engine.ts';
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

/**
 * The page. Each part reads its own slice of the engine's state (see {@link useEngineState}), so a change re-renders
 * that part alone; the page itself reads none (its re-render would re-render every part).
 */
export function App() {
  const engine = useEngine();
  const share = useCallback(
    (files: File[], handles?: ReadonlyMap<File, FileSystemFileHandle>) => engine.shareFiles(files, handles),
    [engine],
  );
  const shareFolder = useCallback(
    (folder: DroppedFolder, handle: FileSystemDirectoryHandle | null = null) =>
      engine.shareFolder(folder.name, folder.files, folder.emptyFolders, handle),
    [engine],
  );
  const dropError = useCallback((message: string) => engine.reportProblem(message), [engine]);

  return (
    <DropZone onFiles={share} onFolder={shareFolder} onError={dropError}>
      <header className="top">
        <h1>Shoal</h1>
        <Name />
        <Tracker />
      </header>
      <Storage />
      <Problem />
      <main>
        <Link />
        <Shares share={share} shareFolder={shareFolder} />
        <Uploads />
        <Search />
        <Browsing />
        <Watched />
        <Transfers />
      </main>
    </DropZone>
  );
}

function Name() {
  const engine = useEngine();
  return <DisplayName view={useStore(engine.displayName.store)} onRename={(name) => engine.displayName.rename(name)} />;
}

function Tracker() {
  return <TrackerStatus tracker={useEngineState('tracker')} />;
}

function Storage() {
  return <StorageStatus storage={useEngineState('storage')} />;
}

function Problem() {
  const engine = useEngine();
  const problem = useEngineState('problem');
  if (!problem) return null;
  return (
    <p className="problem" role="alert">
      {problem}{' '}
      <button type="button" onClick={() => engine.reportProblem(null)}>
        Dismiss
      </button>
    </p>
  );
}

function Link() {
  const engine = useEngine();
  const link = useEngineState('link');
  return link ? <LinkCard link={link} onDownload={() => engine.links.download()} onClose={closeLink} /> : null;
}

function Shares({
  share,
  shareFolder,
}: {
  share: (files: File[], handles?: ReadonlyMap<File, FileSystemFileHandle>) => void;
  shareFolder: (folder: DroppedFolder, handle?: FileSystemDirectoryHandle | null) => void;
}) {
  const engine = useEngine();
  return (
    <SharePanel
      shares={useEngineState('shares')}
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
  );
}

function Uploads() {
  const engine = useEngine();
  return (
    <UploadSettings uploads={useEngineState('uploads')} onApply={(settings) => engine.setUploadSettings(settings)} />
  );
}

function Search() {
  const engine = useEngine();
  const sources = useStore(engine.sources.store);
  // Stable: the panel searches again whenever it changes.
  const search = useCallback((query: string, sort: SearchSort) => engine.search(query, sort), [engine]);
  return (
    <SearchPanel
      search={useEngineState('search')}
      onSearch={search}
      onMore={() => engine.moreResults()}
      onDownload={(result) => void engine.download(result)}
      onWatch={(query) => watch(engine, query)}
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
  );
}

function watch(engine: ShoalEngine, query: string): void {
  // Asked from the click itself: browsers only let a page ask for notifications then.
  requestNotificationPermission();
  engine.watched.add(query);
}

function Browsing() {
  const engine = useEngine();
  const browsing = useStore(engine.browser.store);
  if (!browsing) return null;
  return (
    <BrowseView
      view={browsing}
      onOpenFolder={(entry) => engine.browser.openFolder(entry)}
      onCrumb={(index) => engine.browser.goTo(index)}
      onMore={() => engine.browser.more()}
      onRetry={() => engine.browser.retry()}
      onDownload={(entry) => engine.browser.download(entry)}
      onClose={() => engine.browser.close()}
    />
  );
}

function Watched() {
  const engine = useEngine();
  const online = useEngineState('tracker').status === 'online';
  return (
    <WatchedSearches
      watched={useEngineState('watched')}
      online={online}
      onRemove={(key) => engine.watched.remove(key)}
      onDownloadWhenFound={(key, value) => engine.watched.setDownloadWhenFound(key, value)}
      onDownload={(result) => void engine.download(result)}
      onDismissNotice={() => engine.watched.dismissNotice()}
    />
  );
}

function Transfers() {
  const engine = useEngine();
  const saveAs = async (key: string) => {
    const finished = engine.finishedFile(key);
    if (finished) {
      await saveFileAs(finished.file, finished.name).catch((error: unknown) => engine.reportProblem(String(error)));
    }
  };
  const saveInto = async (key: string) => {
    const folder = engine.finishedFolder(key);
    if (folder) await saveFolderInto(folder).catch((error: unknown) => engine.reportProblem(String(error)));
  };
  return (
    <TransferList
      transfers={useEngineState('transfers')}
      onCancel={(key) => engine.cancelTransfer(key)}
      onPause={(key) => engine.pauseTransfer(key)}
      onResume={(key) => engine.resumeTransfer(key)}
      onSave={(key) => engine.saveTransfer(key)}
      onSaveAs={canSaveAs() ? (key) => void saveAs(key) : undefined}
      onSaveInto={canSaveIntoFolder() ? (key) => void saveInto(key) : undefined}
      onDismiss={(key) => engine.dismissTransfer(key)}
    />
  );
}
