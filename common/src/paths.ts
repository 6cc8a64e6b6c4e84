import { MAX_PATH_DEPTH, MAX_PATH_LENGTH } from './limits.ts';

/** Characters no file system takes in a name (Windows is the strictest), and control characters. */
const FORBIDDEN = /[\p{Cc}<>:"|?*]/gu;
/** Invisible characters that reorder text, which could disguise a name. */
const BIDI_CONTROLS = /[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
/** Names Windows reserves for devices, whatever the extension ("con.txt" too). */
const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;

/**
 * One name of a path made safe to create on any common file system: forbidden and invisible characters become "_"
 * or go, trailing dots and spaces go (Windows drops them), reserved device names get a "_" in front, and the name is
 * cut to 255 code points. Null for names that cannot be made safe: empty, ".", "..".
 */
export function sanitizePathSegment(segment: string): string | null {
  let name = segment.replace(BIDI_CONTROLS, '').replace(FORBIDDEN, '_').trim();
  name = name.replace(/[. ]+$/u, '');
  if (name === '' || name === '.' || name === '..') return null;
  if (RESERVED.test(name)) name = `_${name}`;
  return Array.from(name).slice(0, 255).join('');
}

/**
 * A path inside a shared folder in its one safe, canonical form: names joined by "/", each made safe by
 * {@link sanitizePathSegment}. Null for a path that leaves the folder or names no file: absolute ("/etc", "C:\",
 * "\\server"), with a ".." or empty part, deeper than {@link MAX_PATH_DEPTH} names or longer than
 * {@link MAX_PATH_LENGTH} code points. Backslashes count as separators, as Windows paths use them.
 */
export function sanitizePath(path: string): string | null {
  if (/^([/\\]|[a-z]:)/i.test(path)) return null;
  const parts = path.split(/[/\\]/);
  if (parts.length > MAX_PATH_DEPTH) return null;
  const safe: string[] = [];
  for (const part of parts) {
    if (part === '..') return null;
    if (part === '' || part === '.') return null;
    const name = sanitizePathSegment(part);
    if (name === null) return null;
    safe.push(name);
  }
  const joined = safe.join('/');
  return Array.from(joined).length <= MAX_PATH_LENGTH ? joined : null;
}
