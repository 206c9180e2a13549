import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lrsDispatcher } from '../../../src/services/xapi/lrs-guard.js';

/**
 * The sender's connections (review 27-4): checked when the socket is opened, after DNS, so a name
 * that resolves (or later re-resolves) to a private address is refused, and a literal private
 * address too; an allowed host connects.
 */
let server: http.Server;
let port: number;
beforeAll(async () => {
  server = http.createServer((_req, res) => res.end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function attempt(url: string, allowed: string[]): Promise<string> {
  try {
    const res = await fetch(url, { dispatcher: lrsDispatcher(allowed), redirect: 'error' } as RequestInit);
    return String(res.status);
  } catch (err) {
    return `refused: ${((err as Error).cause as Error | undefined)?.message ?? (err as Error).message}`;
  }
}

describe('lrsDispatcher', () => {
  it('refuses loopback by name or by address unless allowed, and connects to an allowed host', async () => {
    expect(await attempt(`http://localhost:${port}/`, [])).toMatch(/^refused: .*not a public address/);
    expect(await attempt(`http://127.0.0.1:${port}/`, [])).toMatch(/^refused: .*not a public address/);
    expect(await attempt(`http://[::1]:${port}/`, [])).toMatch(/^refused: .*not a public address/);
    expect(await attempt(`http://[::ffff:127.0.0.1]:${port}/`, [])).toMatch(
      /^refused: .*not a public address/,
    );
    expect(await attempt(`http://169.254.169.254/`, [])).toMatch(/^refused: .*not a public address/);
    expect(await attempt(`http://127.0.0.1:${port}/`, ['127.0.0.1'])).toBe('200');
    expect(await attempt(`http://127.0.0.1:${port}/`, [`127.0.0.1:${port}`])).toBe('200');
    expect(await attempt(`http://127.0.0.1:${port}/`, ['127.0.0.1:1'])).toMatch(/^refused/);
    // Allowing one name does not allow another that resolves to the same address.
    expect(await attempt(`http://localhost:${port}/`, ['127.0.0.1'])).toMatch(/^refused/);
  });
});
