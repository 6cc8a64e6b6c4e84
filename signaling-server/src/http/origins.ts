import type { IncomingMessage } from 'node:http';

/** Decides whether a Socket.IO handshake may proceed; the shape of Socket.IO's `allowRequest`. */
export type AllowRequest = (
  req: IncomingMessage,
  callback: (err: string | null | undefined, ok: boolean) => void,
) => void;

/** The origins of the tracker URLs (scheme, host and port). */
export function originsOf(trackerUrls: readonly string[]): string[] {
  return [...new Set(trackerUrls.map((url) => new URL(url).origin))];
}

/**
 * Lets a browser open a Socket.IO connection only from a page served by one of the trackers (or by the tracker it
 * connects to, as when they sit behind one load balancer); requests without an `Origin` header (not from a page) pass.
 * Browsers do not apply CORS to WebSocket handshakes, so this is what keeps other sites' pages out.
 */
export function allowTrackerOrigins(trackerUrls: readonly string[]): AllowRequest {
  const allowed = new Set(originsOf(trackerUrls));
  return (req, callback) => {
    const origin = req.headers.origin;
    if (origin === undefined || allowed.has(origin)) return callback(null, true);
    const host = req.headers.host;
    const sameOrigin = host !== undefined && (origin === `http://${host}` || origin === `https://${host}`);
    callback(sameOrigin ? null : 'origin not allowed', sameOrigin);
  };
}
