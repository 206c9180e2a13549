import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, readEnv, trustedProxies, xapiAllowedHosts } from '../../../src/config.js';
import { sqliteUrl } from '../../../src/db/ferretdb/launcher.js';

describe('config', () => {
  it('applies defaults', () => {
    const env = readEnv({});
    expect(env).toMatchObject({ PORT: 3000, HOST: '127.0.0.1', DATA_DIR: './data', NODE_ENV: 'development' });
  });

  it('schedules the sweep every 15 minutes and the nightly job at 02:30 UTC', () => {
    expect(readEnv({})).toMatchObject({ SWEEP_SCHEDULE: '*/15 * * * *', NIGHTLY_SCHEDULE: '30 2 * * *' });
    expect(readEnv({ NIGHTLY_SCHEDULE: 'off' }).NIGHTLY_SCHEDULE).toBe('off');
  });

  it('names the variable when a value is invalid', () => {
    expect(() => readEnv({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => readEnv({ MONGODB_URI: 'postgres://x' })).toThrow(/MONGODB_URI/);
    expect(() => readEnv({ NODE_ENV: 'staging' })).toThrow(ConfigError);
    expect(() => readEnv({ FERRETDB_SYNC: 'off' })).toThrow(/FERRETDB_SYNC/);
  });

  it('runs the embedded database with immediate write locks and the chosen durability', () => {
    expect(readEnv({}).FERRETDB_SYNC).toBe('normal');
    expect(sqliteUrl('/data/db', 'full')).toBe('file:/data/db/?_txlock=immediate&_pragma=synchronous(full)');
  });

  it('requires SESSION_SECRET in production', async () => {
    await expect(loadConfig({ NODE_ENV: 'production' })).rejects.toThrow(/SESSION_SECRET is required/);
  });

  it('generates a development secret once and keeps it under DATA_DIR', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'cfg-'));
    const a = await loadConfig({ DATA_DIR: dir });
    const b = await loadConfig({ DATA_DIR: dir });
    expect(a.SESSION_SECRET).toHaveLength(64);
    expect(b.SESSION_SECRET).toBe(a.SESSION_SECRET);
    expect((await readFile(path.join(dir, 'session-secret'), 'utf8')).trim()).toBe(a.SESSION_SECRET);
    expect(a.BASE_URL).toBe('http://localhost:3000');
  });
});

describe('TRUST_PROXY', () => {
  it('is off by default and never trusts every hop', () => {
    expect(trustedProxies(readEnv({}).TRUST_PROXY)).toBe(false);
    expect(() => readEnv({ TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY/);
  });

  it('takes a hop count or a list of addresses and ranges', () => {
    const twoHops = trustedProxies('2') as (address: string, hop: number) => boolean;
    expect([0, 1, 2].map((hop) => twoHops('10.0.0.1', hop))).toEqual([true, true, false]);
    expect(trustedProxies('10.0.0.0/8, ::1, loopback')).toEqual(['10.0.0.0/8', '::1', 'loopback']);
  });

  it('names the variable for a bad value', () => {
    for (const bad of ['0', '11', '10.0.0.0/33', 'proxy.example.com', '10.0.0.1/8/2', '-1'])
      expect(() => readEnv({ TRUST_PROXY: bad }), bad).toThrow(/TRUST_PROXY/);
  });
});

describe('XAPI_ALLOWED_HOSTS', () => {
  it('allows no host by default, reads a host[:port] list, and names the variable for a bad value', () => {
    expect(xapiAllowedHosts(readEnv({}).XAPI_ALLOWED_HOSTS)).toEqual([]);
    expect(
      xapiAllowedHosts(readEnv({ XAPI_ALLOWED_HOSTS: 'lrs.internal:8443, 10.0.4.2' }).XAPI_ALLOWED_HOSTS),
    ).toEqual(['lrs.internal:8443', '10.0.4.2']);
    for (const bad of ['https://lrs.internal', 'lrs.internal/xAPI', '*'])
      expect(() => readEnv({ XAPI_ALLOWED_HOSTS: bad }), bad).toThrow(/XAPI_ALLOWED_HOSTS/);
  });
});
