import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, open } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** Sizes of the files the specs make. */
export const KiB = 1024;
export const MiB = 1024 * KiB;

/** SHA-256 (hex) of a file on disk, streamed. */
export async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export function sha256OfBytes(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** A fresh temporary folder: whoever makes it removes it (e2e tests get one from the `tempDir` fixture). */
export function makeTempDir(): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), 'shoal-e2e-'));
}

/** Writes `size` random bytes to `dir/name` in 4 MiB slices and returns its path and SHA-256. */
export async function writeRandomFile(
  dir: string,
  name: string,
  size: number,
): Promise<{ path: string; sha256: string }> {
  const file = path.join(dir, name);
  const hash = createHash('sha256');
  const handle = await open(file, 'w');
  try {
    for (let written = 0; written < size;) {
      const chunk = randomBytes(Math.min(4 * 1024 * 1024, size - written));
      hash.update(chunk);
      await handle.write(chunk);
      written += chunk.length;
    }
  } finally {
    await handle.close();
  }
  return { path: file, sha256: hash.digest('hex') };
}
