import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_STATIC_DIR, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('applies defaults to an empty environment', () => {
    expect(loadConfig({})).toEqual({
      port: 8089,
      host: '0.0.0.0',
      iceServers: [],
      logLevel: 'info',
      logPretty: false,
      staticDir: DEFAULT_STATIC_DIR,
    });
    expect(DEFAULT_STATIC_DIR.endsWith(path.join('web-client', 'dist'))).toBe(true);
  });

  it('reads every variable', () => {
    const config = loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      ICE_SERVERS: '[{"urls":["stun:a.example:3478"]},{"urls":"turn:b.example","username":"u","credential":"p"}]',
      LOG_LEVEL: 'debug',
      LOG_PRETTY: 'true',
      STATIC_DIR: 'some/dir',
    });
    expect(config).toEqual({
      port: 0,
      host: '127.0.0.1',
      iceServers: [{ urls: ['stun:a.example:3478'] }, { urls: 'turn:b.example', username: 'u', credential: 'p' }],
      logLevel: 'debug',
      logPretty: true,
      staticDir: path.resolve('some/dir'),
    });
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ PORT: '', LOG_PRETTY: ' ' }).port).toBe(8089);
  });

  it('lists every bad variable in one readable error', () => {
    const attempt = () =>
      loadConfig({ PORT: '70000', ICE_SERVERS: '[{"url":"stun:x"}]', LOG_LEVEL: 'loud', LOG_PRETTY: 'maybe' });
    expect(attempt).toThrow(ConfigError);
    const message = (() => {
      try {
        attempt();
        return '';
      } catch (err) {
        return (err as Error).message;
      }
    })();
    expect(message).toMatch(/^Invalid configuration:/);
    for (const name of ['PORT', 'ICE_SERVERS', 'LOG_LEVEL', 'LOG_PRETTY']) expect(message).toContain(`  ${name}`);
  });

  it('explains ICE_SERVERS that are not JSON', () => {
    expect(() => loadConfig({ ICE_SERVERS: 'stun:x' })).toThrow(/ICE_SERVERS: must be JSON/);
  });

  it('refuses a non-integer port', () => {
    expect(() => loadConfig({ PORT: '80.5' })).toThrow(/PORT/);
    expect(() => loadConfig({ PORT: 'http' })).toThrow(/PORT/);
  });
});
