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
      redis: undefined,
      trackerUrls: [],
      trackerLeaseMs: 15_000,
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
      REDIS_URL: 'redis://:pw@10.0.0.5:6380/2',
      TRACKER_URLS: 'http://10.0.0.1:8089, https://shoal.example/tracker2/ ,http://10.0.0.1:8089',
      TRACKER_LEASE_MS: '5000',
    });
    expect(config).toEqual({
      port: 0,
      host: '127.0.0.1',
      iceServers: [{ urls: ['stun:a.example:3478'] }, { urls: 'turn:b.example', username: 'u', credential: 'p' }],
      logLevel: 'debug',
      logPretty: true,
      staticDir: path.resolve('some/dir'),
      redis: { url: 'redis://:pw@10.0.0.5:6380/2' },
      trackerUrls: ['http://10.0.0.1:8089', 'https://shoal.example/tracker2'],
      trackerLeaseMs: 5000,
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

  it('refuses a Redis URL, tracker URLs or a lease that cannot work', () => {
    expect(() => loadConfig({ REDIS_URL: 'localhost:6379' })).toThrow(/REDIS_URL: must be a redis:\/\/ or rediss:\/\//);
    expect(() => loadConfig({ REDIS_URL: 'http://localhost:6379' })).toThrow(/REDIS_URL/);
    expect(() => loadConfig({ TRACKER_URLS: 'http://a:1,ftp://b' })).toThrow(/TRACKER_URLS: "ftp:\/\/b" must be/);
    expect(() => loadConfig({ TRACKER_URLS: 'not a url' })).toThrow(/TRACKER_URLS: "not a url" is not a URL/);
    const many = Array.from({ length: 33 }, (_, n) => `http://h${n}:1`).join(',');
    expect(() => loadConfig({ TRACKER_URLS: many })).toThrow(/TRACKER_URLS: at most 32/);
    expect(() => loadConfig({ TRACKER_LEASE_MS: '100' })).toThrow(/TRACKER_LEASE_MS/);
  });

  it('reads the seed nodes of a Redis Cluster', () => {
    expect(
      loadConfig({
        REDIS_CLUSTER_URLS: ' rediss://:pw@10.0.0.1:7000, rediss://:pw@[::1]:7001/0,rediss://:pw@10.0.0.1:7000',
      }).redis,
    ).toEqual({ clusterUrls: ['rediss://:pw@10.0.0.1:7000', 'rediss://:pw@[::1]:7001/0'] });
  });

  it('refuses cluster nodes that cannot work together, or a cluster and a server at once', () => {
    expect(() => loadConfig({ REDIS_CLUSTER_URLS: '10.0.0.1:7000' })).toThrow(
      /REDIS_CLUSTER_URLS: "10.0.0.1:7000" is not a redis:\/\/ or rediss:\/\/ URL/,
    );
    expect(() => loadConfig({ REDIS_CLUSTER_URLS: ' , ' })).toThrow(/REDIS_CLUSTER_URLS: must list at least one node/);
    expect(() => loadConfig({ REDIS_CLUSTER_URLS: 'redis://a:7000/3' })).toThrow(/only database 0/);
    expect(() => loadConfig({ REDIS_CLUSTER_URLS: 'redis://:x@a:7000,redis://:y@b:7000' })).toThrow(
      /same scheme, user and password/,
    );
    expect(() => loadConfig({ REDIS_CLUSTER_URLS: 'redis://a:7000,rediss://b:7000' })).toThrow(/same scheme/);
    expect(() => loadConfig({ REDIS_URL: 'redis://a:6379', REDIS_CLUSTER_URLS: 'redis://b:7000' })).toThrow(
      /REDIS_CLUSTER_URLS: set REDIS_URL \(one Redis server\) or REDIS_CLUSTER_URLS \(a Redis Cluster\), not both/,
    );
  });

  it('refuses a non-integer port', () => {
    expect(() => loadConfig({ PORT: '80.5' })).toThrow(/PORT/);
    expect(() => loadConfig({ PORT: 'http' })).toThrow(/PORT/);
  });
});
