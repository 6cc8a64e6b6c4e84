/**
 * Request/response over a forked child's IPC channel: the runner starts trackers and load workers as child
 * processes and calls named methods on them. Every child started here is stopped when the runner exits, whatever
 * the reason, and a child exits by itself when its parent goes away.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** A child's methods: each takes one JSON-serializable parameter and returns (a promise of) a JSON-serializable value. */
export type Api<M> = { [K in keyof M]: (params: never) => unknown };

type ParamOf<F> = F extends (params: infer P) => unknown ? P : never;
type ResultOf<F> = F extends (params: never) => infer R ? Awaited<R> : never;

type ToChild = { kind: 'call'; rpc: number; method: string; params: unknown };
type ToParent =
  | { kind: 'ready'; info: unknown }
  | { kind: 'reply'; rpc: number; ok: true; value: unknown }
  | { kind: 'reply'; rpc: number; ok: false; error: string };

/** The repository root (bench/tracker/../..), where `node_modules/tsx` is found. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Most lines of a child's own output passed on to the log; the rest are counted. */
const MAX_FORWARDED_LINES = 100;

const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** What {@link startChild} needs. */
export interface ChildOptions {
  /** Shown in front of the child's output lines. */
  name: string;
  /** Script path relative to this folder. */
  script: string;
  /** Node flags besides `--import tsx`. */
  nodeFlags?: string[];
  env?: Record<string, string>;
  log: (line: string) => void;
  /** How long the child may take to say it is ready. */
  readyTimeoutMs?: number;
}

/** A running child process with a typed method-call interface. */
export interface Child<M extends Api<M>> {
  readonly name: string;
  readonly pid: number;
  call<K extends keyof M & string>(method: K, params: ParamOf<M[K]>): Promise<ResultOf<M[K]>>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. Safe to call more than once. */
  stop(graceMs?: number): Promise<void>;
}

/** Forks `script` under tsx and waits for its `ready` message; resolves with the child and what it reported. */
export async function startChild<M extends Api<M>, Info>(
  options: ChildOptions,
): Promise<{ child: Child<M>; info: Info }> {
  const script = path.join(path.dirname(fileURLToPath(import.meta.url)), options.script);
  const proc = fork(script, [], {
    cwd: REPO_ROOT,
    execArgv: ['--import', 'tsx', ...(options.nodeFlags ?? [])],
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  live.add(proc);
  const pid = proc.pid ?? -1;

  let forwarded = 0;
  const forward = (chunk: Buffer): void => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim() === '') continue;
      forwarded++;
      if (forwarded <= MAX_FORWARDED_LINES) options.log(`[${options.name}] ${line.slice(0, 500)}`);
      else if (forwarded === MAX_FORWARDED_LINES + 1) options.log(`[${options.name}] (further output not shown)`);
    }
  };
  proc.stdout?.on('data', forward);
  proc.stderr?.on('data', forward);

  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (err: Error) => void }>();
  let nextRpc = 1;
  let exitError: Error | undefined;
  const exited = new Promise<void>((resolve) => {
    proc.once('exit', (code, signal) => {
      live.delete(proc);
      exitError = new Error(`${options.name} exited (code ${code ?? 'none'}, signal ${signal ?? 'none'})`);
      for (const call of pending.values()) call.reject(exitError);
      pending.clear();
      resolve();
    });
  });

  const ready = new Promise<unknown>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${options.name} was not ready within ${options.readyTimeoutMs ?? 60_000} ms`)),
      options.readyTimeoutMs ?? 60_000,
    );
    proc.on('message', (raw) => {
      const message = raw as ToParent;
      if (message.kind === 'ready') {
        clearTimeout(timer);
        resolve(message.info);
        return;
      }
      const call = pending.get(message.rpc);
      if (!call) return;
      pending.delete(message.rpc);
      if (message.ok) call.resolve(message.value);
      else call.reject(new Error(`${options.name}: ${message.error}`));
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(exitError ?? new Error(`${options.name} exited`));
    });
  });

  let stopping: Promise<void> | undefined;
  const child: Child<M> = {
    name: options.name,
    pid,
    call(method, params) {
      if (exitError) return Promise.reject(exitError);
      const rpc = nextRpc++;
      return new Promise((resolve, reject) => {
        pending.set(rpc, { resolve: resolve as (value: unknown) => void, reject });
        const message: ToChild = { kind: 'call', rpc, method, params };
        proc.send(message, (err) => {
          if (!err) return;
          pending.delete(rpc);
          reject(err);
        });
      });
    },
    stop(graceMs = 5000) {
      stopping ??= (async () => {
        if (proc.exitCode !== null || proc.signalCode !== null) return;
        proc.kill('SIGTERM');
        const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      })();
      return stopping;
    },
  };

  try {
    const info = (await ready) as Info;
    return { child, info };
  } catch (err) {
    await child.stop(1000);
    throw err;
  }
}

/**
 * The child side: answers calls with `handlers`, tells the parent it is ready with `info`, and exits when the
 * parent goes away (so a crashed runner leaves nothing behind).
 */
export function serve<M extends Api<M>>(handlers: M, info: unknown): void {
  if (!process.send) throw new Error('this script runs as a forked child of the tracker benchmark');
  const send = (message: ToParent): void => {
    process.send?.(message);
  };
  process.on('message', (raw) => {
    const message = raw as ToChild;
    if (message.kind !== 'call') return;
    const handler = (handlers as unknown as Record<string, ((params: unknown) => unknown) | undefined>)[message.method];
    if (!handler) {
      send({ kind: 'reply', rpc: message.rpc, ok: false, error: `no method ${message.method}` });
      return;
    }
    new Promise((resolve) => resolve(handler.call(handlers, message.params))).then(
      (value) => send({ kind: 'reply', rpc: message.rpc, ok: true, value }),
      (err: unknown) =>
        send({
          kind: 'reply',
          rpc: message.rpc,
          ok: false,
          error: err instanceof Error ? (err.stack ?? err.message) : String(err),
        }),
    );
  });
  process.on('disconnect', () => process.exit(0));
  send({ kind: 'ready', info });
}
