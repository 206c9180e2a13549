import { describe, expect, it } from 'vitest';
import { readEnv } from '../../../src/config.js';

// Issue #25 review: METRICS_PORT without METRICS_TOKEN serves /metrics unauthenticated, so it must not
// follow HOST (often 0.0.0.0) onto every interface unless someone chose that host for it.
const TOKEN = 'a'.repeat(32);

describe('METRICS_HOST', () => {
  it('defaults to the loopback address when no METRICS_TOKEN protects the metrics port', () => {
    const env = readEnv({ HOST: '0.0.0.0', METRICS_PORT: '9100' });
    expect(env.METRICS_HOST).toBe('127.0.0.1');
  });

  it('follows HOST when METRICS_TOKEN is set (every scrape is authenticated)', () => {
    const env = readEnv({ HOST: '0.0.0.0', METRICS_PORT: '9100', METRICS_TOKEN: TOKEN });
    expect(env.METRICS_HOST).toBe('0.0.0.0');
  });

  it('keeps a METRICS_HOST set explicitly', () => {
    const env = readEnv({ HOST: '0.0.0.0', METRICS_PORT: '9100', METRICS_HOST: '10.0.0.5' });
    expect(env.METRICS_HOST).toBe('10.0.0.5');
  });
});
