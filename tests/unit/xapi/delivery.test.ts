import { describe, expect, it } from 'vitest';
import {
  deliveryOutcome,
  nextAttemptAt,
  normaliseEndpoint,
  RETRY_CAP_MS,
} from '../../../src/domain/xapi/delivery.js';

describe('xAPI delivery rules', () => {
  it('counts a stored statement, or one the LRS already has, as sent', () => {
    expect(deliveryOutcome(200)).toBe('sent');
    expect(deliveryOutcome(204)).toBe('sent');
    expect(deliveryOutcome(409)).toBe('sent');
  });

  it('retries what may pass later: no answer, server errors, timeouts and throttling', () => {
    for (const status of [null, 500, 502, 503, 504, 408, 429]) expect(deliveryOutcome(status)).toBe('retry');
  });

  it('retries after a refusal of the settings (credentials, endpoint), never dropping the backlog', () => {
    for (const status of [401, 403, 404]) expect(deliveryOutcome(status)).toBe('retry');
  });

  it('keeps other refusals as rejected: the LRS will never take that statement', () => {
    for (const status of [400, 413, 422]) expect(deliveryOutcome(status)).toBe('rejected');
  });

  it('waits twice as long after each failure, never more than an hour', () => {
    const now = new Date('2027-03-01T10:00:00Z');
    const wait = (attempts: number) => (nextAttemptAt(attempts, now).getTime() - now.getTime()) / 60_000;
    expect([1, 2, 3, 4, 5, 6].map(wait)).toEqual([1, 2, 4, 8, 16, 32]);
    expect(wait(7)).toBe(60);
    expect(wait(40)).toBe(RETRY_CAP_MS / 60_000);
  });

  it('accepts an http(s) xAPI base and ends it with a slash', () => {
    expect(normaliseEndpoint(' https://lrs.example.com/xAPI ')).toBe('https://lrs.example.com/xAPI/');
    expect(normaliseEndpoint('http://127.0.0.1:8100/xAPI/')).toBe('http://127.0.0.1:8100/xAPI/');
    for (const bad of ['', 'lrs.example.com', 'ftp://lrs/x', 'javascript:alert(1)', 'https://a b/'])
      expect(normaliseEndpoint(bad)).toBeNull();
    expect(normaliseEndpoint('https://user:pw@lrs.example.com/xAPI/')).toBeNull();
  });
});
