import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from '../../../src/db/connection.js';

function socketError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('isDatabaseUnavailable', () => {
  it('counts a bare socket error from a server killed mid-command as an outage (503, not 500)', () => {
    expect(isDatabaseUnavailable(socketError('EPIPE', 'This socket has been ended by the other party'))).toBe(
      true,
    );
    expect(isDatabaseUnavailable(socketError('ECONNRESET', 'read ECONNRESET'))).toBe(true);
    expect(
      isDatabaseUnavailable({ name: 'MongoBulkWriteError', errorResponse: socketError('EPIPE', 'x') }),
    ).toBe(true);
  });

  it('leaves bugs and refusals alone', () => {
    expect(isDatabaseUnavailable(new Error('Cannot read properties of undefined'))).toBe(false);
    expect(isDatabaseUnavailable(Object.assign(new Error('E11000 duplicate key'), { code: 11000 }))).toBe(
      false,
    );
    expect(isDatabaseUnavailable(socketError('ENOENT', 'no such file'))).toBe(false);
  });
});
