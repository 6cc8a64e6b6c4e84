import { describe, expect, it } from 'vitest';
import type { BrowseEntry, BrowseFileEntry, BrowseFolderEntry, BrowsePeerRequest, BrowseResponse } from '@shoal/common';
import type { RequestResult, TrackerClient } from '../tracker-client.ts';
import { PeerBrowser, type SharedFolderRef } from './peer-browser.ts';

const id = (n: number) => n.toString(16).padStart(64, '0');
const trip: BrowseFolderEntry = { kind: 'folder', name: 'trip', size: 30, count: 3, listing: { id: id(9), size: 500 } };
const photos: BrowseFolderEntry = { kind: 'folder', name: 'photos', size: 20, count: 2 };
const file = (n: number): BrowseFileEntry => ({ kind: 'file', name: `f${n}`, size: n, fileId: id(n) });

/** A tracker whose answers the test releases one by one, recording what was asked. */
function scriptedTracker() {
  const asked: BrowsePeerRequest[] = [];
  const pending: ((result: RequestResult<BrowseResponse>) => void)[] = [];
  const request = (_event: 'peers:browse', payload: BrowsePeerRequest) => {
    asked.push(payload);
    return new Promise<RequestResult<BrowseResponse>>((resolve) => pending.push(resolve));
  };
  const answer = async (entries: BrowseEntry[], total = entries.length) => {
    const last = asked.at(-1)!;
    pending.shift()!({
      ok: true,
      data: { peerId: last.peerId, folder: last.folder ?? null, offset: last.offset ?? 0, entries, total },
    });
    await new Promise((resolve) => setTimeout(resolve, 0));
  };
  const fail = async (code: 'PEER_TIMEOUT' | 'NOT_FOUND' | 'PEER_NOT_FOUND') => {
    pending.shift()!({ ok: false, error: { code, message: 'tracker says no' } });
    await new Promise((resolve) => setTimeout(resolve, 0));
  };
  return { asked, answer, fail, tracker: { request: request as unknown as TrackerClient['request'] } };
}

function browserWith(script: ReturnType<typeof scriptedTracker>) {
  const files: BrowseFileEntry[] = [];
  const folders: [SharedFolderRef, string][] = [];
  const browser = new PeerBrowser({
    tracker: script.tracker,
    downloadFile: (entry) => files.push(entry),
    downloadFolder: (shared, path) => folders.push([shared, path]),
    pageSize: 2,
  });
  return { browser, files, folders };
}

describe('PeerBrowser', () => {
  it('opens a peer, then folders one level at a time, with crumbs back up', async () => {
    const script = scriptedTracker();
    const { browser } = browserWith(script);
    browser.open('bob', 'Quiet Otter');
    expect(browser.store.getSnapshot()).toMatchObject({ peerId: 'bob', peerName: 'Quiet Otter', status: 'loading' });
    await script.answer([trip, file(1)]);
    expect(browser.store.getSnapshot()).toMatchObject({ status: 'ready', entries: [trip, file(1)], total: 2 });

    browser.openFolder(trip);
    await script.answer([photos]);
    browser.openFolder(photos);
    await script.answer([file(2), file(3)], 3);
    expect(script.asked).toEqual([
      { peerId: 'bob', offset: 0, limit: 2 },
      { peerId: 'bob', folder: { listingId: id(9), path: '' }, offset: 0, limit: 2 },
      { peerId: 'bob', folder: { listingId: id(9), path: 'photos' }, offset: 0, limit: 2 },
    ]);
    expect(browser.store.getSnapshot()?.crumbs.map((crumb) => crumb.label)).toEqual(['All shared', 'trip', 'photos']);

    browser.more();
    await script.answer([file(4)], 3);
    expect(script.asked.at(-1)).toMatchObject({ folder: { path: 'photos' }, offset: 2 });
    expect(browser.store.getSnapshot()?.entries).toEqual([file(2), file(3), file(4)]);

    browser.goTo(0);
    await script.answer([trip]);
    expect(browser.store.getSnapshot()).toMatchObject({ entries: [trip], crumbs: [{ label: 'All shared' }] });
    browser.close();
    expect(browser.store.getSnapshot()).toBeNull();
  });

  it('shows only the folder asked last, whatever order answers come in', async () => {
    const script = scriptedTracker();
    const { browser } = browserWith(script);
    browser.open('bob', null);
    browser.open('carol', 'Carol');
    await script.answer([file(1)]); // bob's, late
    await script.answer([file(2)]);
    expect(browser.store.getSnapshot()).toMatchObject({ peerId: 'carol', entries: [file(2)] });
  });

  it('says what went wrong in words, by the peer’s name', async () => {
    const script = scriptedTracker();
    const { browser } = browserWith(script);
    browser.open('bob', 'Quiet Otter');
    await script.fail('PEER_TIMEOUT');
    expect(browser.store.getSnapshot()).toMatchObject({
      status: 'failed',
      error: 'Quiet Otter did not answer in time. Try again in a moment.',
    });
    browser.retry();
    await script.fail('PEER_NOT_FOUND');
    expect(browser.store.getSnapshot()?.error).toBe('Quiet Otter is not connected any more.');
  });

  it('downloads files by id, shared folders whole and subfolders by path', async () => {
    const script = scriptedTracker();
    const { browser, files, folders } = browserWith(script);
    browser.open('bob', null);
    await script.answer([trip, file(1)]);
    browser.download(file(1));
    browser.download(trip);
    browser.openFolder(trip);
    await script.answer([photos]);
    browser.download(photos);
    expect(files).toEqual([file(1)]);
    const shared = { id: id(9), size: 500, name: 'trip' };
    expect(folders).toEqual([
      [shared, ''],
      [shared, 'photos'],
    ]);
  });
});
