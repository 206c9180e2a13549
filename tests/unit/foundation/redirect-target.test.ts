import { validateHeaderValue } from 'node:http';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { safeRedirectPath, sameSitePath } from '../../../src/domain/redirect-target.js';

const BASE = 'https://training.example.com';

describe('redirect targets', () => {
  it.each([
    ['/', '/'],
    ['/learn/social-media-policy', '/learn/social-media-policy'],
    ['/hr/people?q=ann&page=2#list', '/hr/people?q=ann&page=2#list'],
    ['/learn/caf\u00e9', '/learn/caf%C3%A9'],
    ['/a/../hr', '/hr'],
    ['/learn?q=\u65e5\u672c', '/learn?q=%E6%97%A5%E6%9C%AC'],
  ])('keeps the same-site path %j as %j', (next, expected) => {
    expect(sameSitePath(next, BASE)).toBe(expected);
  });

  it.each([
    ['a newline', '/\nx'],
    ['CR LF', '/\r\nSet-Cookie: a=b'],
    ['a tab before a second slash', '/\t/evil.example'],
    ['a NUL', '/x\u0000'],
    ['a C1 control', '/x\u0085'],
    ['DEL', '/x\u007f'],
    ['protocol-relative', '//evil.example'],
    ['a backslash', '/\\evil.example'],
    ['a backslash later', '/x\\y'],
    ['dot segments that normalise to //', '/.//evil.example'],
    ['encoded-dot segments that normalise to //', '/%2e//evil.example'],
    ['an absolute URL', 'https://evil.example/'],
    ['the same site, absolute', `${BASE}/hr`],
    ['javascript:', 'javascript:alert(1)'],
    ['a relative path', 'hr'],
    ['empty', ''],
    ['too long', `/${'a'.repeat(2000)}`],
    ['not a string', ['/hr']],
    ['undefined', undefined],
  ])('refuses %s', (_what, next) => {
    expect(sameSitePath(next, BASE)).toBeNull();
    expect(safeRedirectPath(next, BASE)).toBe('/');
    expect(safeRedirectPath(next, BASE, '/hr')).toBe('/hr');
  });

  it('any string gives a valid header value that stays on the site', () => {
    const hostile = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.string({ unit: 'grapheme', maxLength: 40 }).map((s) => `/${s}`),
      fc
        .array(
          fc.constantFrom(
            '/',
            '\\',
            '.',
            '%2e',
            '%2f',
            '\t',
            '\n',
            '\r',
            ' ',
            '@',
            ':',
            'evil.example',
            '#',
            '?',
          ),
          { maxLength: 8 },
        )
        .map((parts) => parts.join('')),
      fc.webUrl().map((u) => u.replace(/^https?:/, '')),
    );
    fc.assert(
      fc.property(hostile, (next) => {
        const target = safeRedirectPath(next, BASE);
        expect(() => validateHeaderValue('location', target)).not.toThrow();
        expect(new URL(target, BASE).origin).toBe(new URL(BASE).origin);
        expect(target.startsWith('//')).toBe(false);
      }),
      { numRuns: 2000, seed: Number(process.env.FC_SEED ?? 20261206) },
    );
  });
});
