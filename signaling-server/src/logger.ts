import { pino, type Logger } from 'pino';
import type { Config } from './config.ts';

/**
 * The process logger: JSON lines to stdout, or pino-pretty output when `LOG_PRETTY` is set (a development
 * dependency, so not for production images).
 */
export function createLogger(config: Pick<Config, 'logLevel' | 'logPretty'>): Logger {
  return pino({
    level: config.logLevel,
    base: { service: 'shoal-tracker' },
    ...(config.logPretty
      ? { transport: { target: 'pino-pretty', options: { colorize: true, ignore: 'pid,hostname,service' } } }
      : {}),
  });
}
