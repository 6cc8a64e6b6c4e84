import {
  MAX_MANIFEST_BYTES,
  MiB,
  bitfieldLength,
  countBits,
  decodeManifest,
  hasBit,
  pieceCount,
  pieceRange,
  setBit,
  verifyManifest,
  type Manifest,
} from '@shoal/common';
import { decodeDownloadInfo, encodeDownloadInfo, type DownloadInfo } from '../download-record.ts';
import type { PieceBackend } from '../piece-backend.ts';
import { readWhole, writeWhole, type DownloadFolder, type SyncFile } from './sync-file.ts';

/** The files of one download's folder. */
export const DATA_FILE = 'data';
const MANIFEST_FILE = 'manifest';
const INFO_FILE = 'info.json';
const VERIFIED_FILE = 'verified';

/**
 * Written bytes between two flushes. Every write reaches the operating system at once (a crashed or reloaded tab
 * loses nothing); flushing makes them durable against a machine crash too, which costs a sync, so not per piece.
 * Small enough that the last flush, which a finished download waits for, stays short: 9–24 ms for 16 MiB on the
 * development machines, against 31–42 ms for 64 MiB.
 */
const FLUSH_EVERY_BYTES = 16 * MiB;
/** The largest manifest, bitfield or record a download's folder holds. */
const MAX_SMALL_FILE_BYTES = MAX_MANIFEST_BYTES;

/** A download found in storage, as it was left. */
export interface StoredDownloadState {
  fileId: string;
  info: DownloadInfo;
  manifestBytes: Uint8Array;
  manifest: Manifest;
  /** The pieces written and verified before. */
  verified: Uint8Array;
}

/**
 * One download's pieces on disk, in a folder of its own: the file's bytes at their offsets (`data`), its manifest,
 * a record of name, type and state (`info.json`), and a bitfield of the verified pieces (`verified`), each bit set
 * only after its piece's bytes were written. That bitfield is what a reload resumes from.
 */
export class DiskDownload implements PieceBackend {
  private unflushedBytes = 0;
  private closed = false;

  private constructor(
    private readonly folder: DownloadFolder,
    private readonly manifest: Manifest,
    private info: DownloadInfo,
    private readonly data: SyncFile,
    private readonly verifiedFile: SyncFile,
    private readonly verified: Uint8Array,
  ) {}

  /** Starts a download's folder (reserving the file's full size, so running out of room shows at once). */
  static async create(
    folder: DownloadFolder,
    manifestBytes: Uint8Array,
    info: Omit<DownloadInfo, 'version' | 'complete'>,
  ): Promise<DiskDownload> {
    const manifest = decodeManifest(manifestBytes);
    const record: DownloadInfo = { version: 1, ...info, complete: false };
    const files: SyncFile[] = [];
    try {
      const manifestFile = await folder.open(MANIFEST_FILE);
      files.push(manifestFile);
      writeWhole(manifestFile, manifestBytes);
      const data = await folder.open(DATA_FILE);
      files.push(data);
      data.truncate(manifest.size);
      const verifiedFile = await folder.open(VERIFIED_FILE);
      files.push(verifiedFile);
      const verified = new Uint8Array(bitfieldLength(pieceCount(manifest)));
      writeWhole(verifiedFile, verified);
      // The record goes last: a folder without one is an interrupted start, and is cleared on the next load.
      const infoFile = await folder.open(INFO_FILE);
      writeWhole(infoFile, encodeDownloadInfo(record));
      infoFile.close();
      manifestFile.close();
      return new DiskDownload(folder, manifest, record, data, verifiedFile, verified);
    } catch (error) {
      for (const file of files) file.close();
      throw error;
    }
  }

  /**
   * Reads back what a download's folder holds, checking every part of it (the manifest against the folder's file id,
   * the bitfield against the piece count, the data file's size). Null when the folder is not a usable download.
   */
  static async inspect(folder: DownloadFolder): Promise<StoredDownloadState | null> {
    for (const name of [INFO_FILE, MANIFEST_FILE, VERIFIED_FILE, DATA_FILE]) if (!(await folder.has(name))) return null;
    const infoBytes = await readSmall(folder, INFO_FILE);
    const info = infoBytes && decodeDownloadInfo(infoBytes);
    const manifestBytes = await readSmall(folder, MANIFEST_FILE);
    if (!info || !manifestBytes) return null;
    let manifest: Manifest;
    try {
      manifest = await verifyManifest(manifestBytes, folder.name);
    } catch {
      return null;
    }
    const verified = await readSmall(folder, VERIFIED_FILE);
    if (!verified || verified.length !== bitfieldLength(pieceCount(manifest))) return null;
    const dataSize = (await folder.snapshot(DATA_FILE)).size;
    if (dataSize !== manifest.size) return null;
    const complete = info.complete && countBits(verified) === pieceCount(manifest);
    return { fileId: folder.name, info: { ...info, complete }, manifestBytes, manifest, verified };
  }

  /** Opens a stored, unfinished download to go on with it. */
  static async resume(folder: DownloadFolder, state: StoredDownloadState): Promise<DiskDownload> {
    const data = await folder.open(DATA_FILE);
    try {
      const verifiedFile = await folder.open(VERIFIED_FILE);
      return new DiskDownload(folder, state.manifest, state.info, data, verifiedFile, state.verified.slice());
    } catch (error) {
      data.close();
      throw error;
    }
  }

  /** Stores a verified piece, then marks it verified. */
  write(index: number, bytes: Uint8Array): void {
    this.assertOpen();
    const { start, end } = pieceRange(this.manifest, index);
    if (bytes.length !== end - start) throw new RangeError(`piece ${index} has ${bytes.length} bytes`);
    writeFully(this.data, bytes, start);
    setBit(this.verified, index);
    const byte = index >> 3;
    writeFully(this.verifiedFile, this.verified.subarray(byte, byte + 1), byte);
    this.unflushedBytes += bytes.length;
    if (this.unflushedBytes >= FLUSH_EVERY_BYTES) this.flush();
  }

  read(index: number): Uint8Array {
    this.assertOpen();
    if (!hasBit(this.verified, index)) throw new RangeError(`piece ${index} is not stored`);
    const { start, end } = pieceRange(this.manifest, index);
    const bytes = new Uint8Array(end - start);
    if (this.data.read(bytes, { at: start }) !== bytes.length) throw new Error(`piece ${index} could not be read`);
    return bytes;
  }

  setPaused(paused: boolean): Promise<void> {
    return this.writeInfo({ ...this.info, paused });
  }

  /**
   * Flushes and closes the files and only then records the download as complete; answers the finished file, read
   * from disk (a download's bytes never have to fit in memory).
   */
  async finish(): Promise<File> {
    if (countBits(this.verified) !== pieceCount(this.manifest)) throw new Error('pieces are missing');
    this.close();
    await this.writeInfo({ ...this.info, complete: true, paused: false });
    return this.folder.snapshot(DATA_FILE);
  }

  /** Flushes and lets go of the files (the download stays stored, to go on with later). */
  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    this.data.close();
    this.verifiedFile.close();
  }

  private flush(): void {
    // Data before the bitfield: a bit that survives a crash never points at bytes that did not.
    this.data.flush();
    this.verifiedFile.flush();
    this.unflushedBytes = 0;
  }

  private async writeInfo(info: DownloadInfo): Promise<void> {
    const file = await this.folder.open(INFO_FILE);
    try {
      writeWhole(file, encodeDownloadInfo(info));
      this.info = info;
    } finally {
      file.close();
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('the download storage is closed');
  }
}

/** Reads one of the folder's small files whole; null when it is larger than any we write. */
async function readSmall(folder: DownloadFolder, name: string): Promise<Uint8Array | null> {
  const file = await folder.open(name);
  try {
    return file.getSize() <= MAX_SMALL_FILE_BYTES ? readWhole(file) : null;
  } finally {
    file.close();
  }
}

function writeFully(file: SyncFile, bytes: Uint8Array, at: number): void {
  const written = file.write(bytes, { at });
  if (written !== bytes.length) throw new Error(`short write: ${written} of ${bytes.length} bytes`);
}
