import { Redis } from 'ioredis';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { redisForFile } from '../../test-support/redis-server.ts';
import { RegistryClosingError } from '../registry.ts';
import { CommandLog } from './command-log.ts';
import { encodeEntry } from './commands.ts';

describe('CommandLog', () => {
  const redis = redisForFile();

  it('stops applying a batch once it is told to stop, and fails writes still waiting', async () => {
    const key = '{log-stop}:log';
    for (let seq = 1; seq <= 10; seq++) {
      await redis.client.xadd(
        key,
        '*',
        'e',
        encodeEntry({ tracker: 'other', seq, command: { op: 'connect', peer: `p${seq}` } }),
      );
    }
    const reader = new Redis(redis.server.url);
    const applied: string[] = [];
    let stopped: Promise<void> | undefined;
    const log: CommandLog = new CommandLog({
      writer: redis.client,
      reader,
      key,
      tracker: 'self',
      logger: pino({ level: 'silent' }),
      apply: async (entry) => {
        if (entry.command.op === 'connect') applied.push(entry.command.peer);
        // The tracker is told to close while the first entry of the batch is being applied.
        stopped ??= log.stop();
        await new Promise((resolve) => setImmediate(resolve));
        return null;
      },
    });
    const waiting = log.submit({ op: 'connect', peer: 'mine' });
    log.start();
    await expect(waiting).rejects.toBeInstanceOf(RegistryClosingError);
    await stopped;
    expect(applied).toEqual(['p1']);
    reader.disconnect();
  });
});
