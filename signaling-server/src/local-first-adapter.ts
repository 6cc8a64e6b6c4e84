import type { Adapter, BroadcastOptions } from 'socket.io-adapter';
import type { Namespace } from 'socket.io';

/** What Socket.IO's `adapter` option takes: a factory of one adapter per namespace. */
type AdapterFactory = (nsp: Namespace) => Adapter;

/**
 * Wraps a cluster adapter so that an emit to one socket held by this process (`io.to(socketId)`, as the signal relay
 * does) is delivered here at once, without a trip through Redis to the other trackers (which do not hold that socket
 * anyway). Emits to a socket elsewhere, to rooms or to everyone go through the cluster adapter as before. Shoal puts
 * sockets in no rooms but their own, so a room named by a local socket's id holds that socket alone.
 */
export function localFirst(factory: AdapterFactory): AdapterFactory {
  // A function, not an arrow: Socket.IO calls it with `new`, and takes the object it returns.
  return function localFirstAdapter(nsp: Namespace): Adapter {
    const adapter = factory(nsp);
    const broadcast = adapter.broadcast.bind(adapter);
    adapter.broadcast = (packet: unknown, opts: BroadcastOptions): void => {
      const [room] = opts.rooms;
      const toOneLocalSocket =
        opts.rooms.size === 1 && (opts.except?.size ?? 0) === 0 && room !== undefined && nsp.sockets.has(room);
      if (toOneLocalSocket && !opts.flags?.local) {
        return broadcast(packet, { ...opts, flags: { ...opts.flags, local: true } });
      }
      return broadcast(packet, opts);
    };
    return adapter;
  };
}
