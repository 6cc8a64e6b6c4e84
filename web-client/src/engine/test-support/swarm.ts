import { decodeManifest, type Manifest } from '@shoal/common';
import { hashFile } from '../hashing/hash-file.ts';
import { completeSource } from '../share/piece-source.ts';
import { UploadSession, type UploadOptions } from '../share/upload-session.ts';
import { UploadStats } from '../share/upload-stats.ts';
import type { SharedFile } from '../share/shared-file.ts';
import { MemoryPieceStore } from '../storage/memory-piece-store.ts';
import { Download, type DownloadDeps } from '../transfer/download.ts';
import type { DownloadTuning } from '../transfer/download-tuning.ts';
import { memoryLinkPair, type MemoryLink } from './memory-link.ts';

/** Deterministic bytes of a given length. */
export function patternBytes(length: number, seed = 1): Uint8Array {
  const bytes = new Uint8Array(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    bytes[i] = x >>> 24;
  }
  return bytes;
}

export async function sharedFileOf(bytes: Uint8Array, name = 'file.bin'): Promise<SharedFile> {
  const data = new Blob([bytes as Uint8Array<ArrayBuffer>]);
  const { id, manifest } = await hashFile(data, () => {});
  return { id, name, mimeType: '', data, manifestBytes: manifest, manifest: decodeManifest(manifest) };
}

interface Holder {
  file: SharedFile;
  /** Rewrites or swallows what this holder sends (a hostile or broken holder). */
  tamper?: (bytes: Uint8Array) => Uint8Array | null;
  /** The holder page's upload slots and speed cap. */
  serving?: Pick<UploadOptions, 'slots' | 'throttle'>;
  links: MemoryLink[];
}

/**
 * A downloader wired to in-memory holders that run the real upload session: the tracker's holder list is
 * `online`, and every connection goes through the real peer-wire codec.
 */
export class TestSwarm {
  readonly holders = new Map<string, Holder>();
  /** Holder ids the fake tracker reports. */
  online: string[] = [];
  completed: Promise<{ file: Blob; manifest: Manifest }>;
  private readonly downloads: Download[] = [];
  /** Downloads in the order they completed. */
  readonly finished: Download[] = [];
  private resolveCompleted!: (value: { file: Blob; manifest: Manifest }) => void;

  constructor() {
    this.completed = new Promise((resolve) => (this.resolveCompleted = resolve));
  }

  addHolder(id: string, file: SharedFile, tamper?: Holder['tamper'], serving?: Holder['serving']): void {
    this.holders.set(id, { file, tamper, serving, links: [] });
    this.online.push(id);
  }

  /** The holder leaves: its connections close and the tracker forgets it. */
  removeHolder(id: string): void {
    this.online = this.online.filter((other) => other !== id);
    for (const link of this.holders.get(id)?.links ?? []) link.close('holder left');
  }

  /** Pieces every holder sent. */
  readonly stats = new UploadStats();

  /**
   * Starts a download as `downloaderId` (one page: holders give it one slot); `createStore` and `resume` stand in for
   * the page's storage (memory by default).
   */
  start(
    fileId: string,
    size: number,
    tuning: Partial<DownloadTuning> = {},
    {
      createStore,
      resume,
      downloaderId = 'downloader',
    }: Pick<Partial<DownloadDeps>, 'createStore' | 'resume'> & { downloaderId?: string } = {},
  ): Download {
    const deps: DownloadDeps = {
      findHolders: async () => ({ ok: true, data: [...this.online] }),
      connect: (peerId, id) => {
        const [mine, theirs] = memoryLinkPair(downloaderId, peerId, id);
        const holder = this.holders.get(peerId);
        if (holder) {
          theirs.tamper = holder.tamper ?? null;
          holder.links.push(theirs);
          new UploadSession(theirs, completeSource(holder.file), () => {}, { stats: this.stats, ...holder.serving });
          setTimeout(() => {
            theirs.open();
            mine.open();
          }, 0);
        } else {
          setTimeout(() => mine.close('nobody there'), 0);
        }
        return mine;
      },
      createStore: createStore ?? (async (manifest) => new MemoryPieceStore(manifest)),
      resume,
      onChange: () => {},
      onComplete: (file, manifest) => {
        this.finished.push(download);
        this.resolveCompleted({ file, manifest });
      },
      tuning: { retryMs: 20, tickMs: 20, stallMs: 500, ...tuning },
    };
    const download = new Download(fileId, size, '', deps);
    this.downloads.push(download);
    return download;
  }

  /** Cancels every download this swarm started (stops their timers). */
  stop(): void {
    for (const download of this.downloads) download.cancel();
  }
}

/** Flips one byte of every piece frame's payload. */
export function corruptPieces(bytes: Uint8Array): Uint8Array {
  if (bytes[0] !== 0x06 || bytes.length < 10) return bytes;
  const copy = bytes.slice();
  copy[9] = (copy[9] ?? 0) ^ 0xff;
  return copy;
}

/**
 * Resolves when `check` holds, polling; rejects after `timeoutMs` (under the test timeout, so this message is the
 * one a failure shows, but long enough for a machine busy with other work: 5 s failed a CI run).
 */
export async function waitFor(check: () => boolean, timeoutMs = 12_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting for a condition');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
