import { z } from 'zod';

/** The closed set of error codes a tracker acknowledgement can carry. Stable: clients may switch on them. */
export const ERROR_CODES = [
  /** The payload failed schema validation (wrong type, missing field, too long, too many). */
  'INVALID_PAYLOAD',
  /** The event name is not part of the protocol. */
  'UNKNOWN_EVENT',
  /** The connection sent too many requests; retry later. */
  'RATE_LIMITED',
  /** The peer would exceed {@link MAX_FILES_PER_PEER}. */
  'TOO_MANY_FILES',
  /** A search query's filter is wrong; the message is a hint for the person who typed it. */
  'INVALID_QUERY',
  /** The connection would keep more than {@link MAX_WATCHES_PER_PEER} watches. */
  'TOO_MANY_WATCHES',
  /** The file is not in the registry (pieces can only be announced for files someone registered). */
  'UNKNOWN_FILE',
  /** The target peer of a signal is not connected. */
  'PEER_NOT_FOUND',
  /** A peer tried to signal itself. */
  'SELF_SIGNAL',
  /** The tracker failed; the request may or may not have taken effect (registry changes are safe to retry). */
  'INTERNAL',
  /** A browsed peer shares no such folder (any more). */
  'NOT_FOUND',
  /** A browsed peer did not answer in time. */
  'PEER_TIMEOUT',
  /** A browsed peer answered with something that is not a valid answer. */
  'BAD_PEER_ANSWER',
] as const;

/** One of {@link ERROR_CODES}. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/** A failed request: a stable code and a message for people. */
export interface ProtocolError {
  code: ErrorCode;
  message: string;
}

/** What every acknowledgement carries: a result, never a thrown error. */
export type Result<T> = { ok: true; data: T } | { ok: false; error: ProtocolError };

/** Callback type of an acknowledged event. */
export type Ack<T> = (result: Result<T>) => void;

/** Builds a successful result. */
export function ok<T>(data: T): Result<T> {
  return { ok: true, data };
}

/** Builds a failed result. */
export function fail(code: ErrorCode, message: string): { ok: false; error: ProtocolError } {
  return { ok: false, error: { code, message } };
}

/**
 * Turns a zod error into one readable line ("files.0.name: Too big ..."). A payload that fits none of a union's shapes
 * is described by the shape it came closest to (the fewest issues), not as a bare "Invalid input".
 */
export function describeZodError(error: z.ZodError): string {
  return describeIssues(error.issues);
}

function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  const issue = issues[0];
  if (!issue) return 'invalid payload';
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    const closest = issue.errors.reduce((best, branch) => (branch.length < best.length ? branch : best));
    return describeIssues(closest.map((inner) => ({ ...inner, path: [...issue.path, ...inner.path] }))) + more;
  }
  const where = issue.path.length > 0 ? issue.path.join('.') : 'payload';
  return `${where}: ${issue.message}${more}`;
}
