import { describe, expect, it } from 'vitest';
import { ScimProblem } from '../../../src/domain/scim/errors.js';
import { pageWindow, parseEqFilter } from '../../../src/domain/scim/filter.js';

const USER_FILTERS = ['userName', 'externalId', 'emails.value'];

describe('parseEqFilter', () => {
  it('reads eq filters on the allowed attributes, case-insensitively, with escaped quotes', () => {
    expect(parseEqFilter('userName eq "a@b.test"', USER_FILTERS)).toEqual({
      attribute: 'userName',
      value: 'a@b.test',
    });
    expect(parseEqFilter('USERNAME EQ "x"', USER_FILTERS)).toEqual({ attribute: 'userName', value: 'x' });
    expect(parseEqFilter('emails.value eq "a@b.test"', USER_FILTERS).attribute).toBe('emails.value');
    expect(parseEqFilter('externalId eq "say \\"hi\\""', USER_FILTERS).value).toBe('say "hi"');
    expect(
      parseEqFilter('urn:ietf:params:scim:schemas:core:2.0:User:userName eq "x"', USER_FILTERS).attribute,
    ).toBe('userName');
  });

  it.each([
    'userName sw "a"',
    'userName pr',
    'title eq "x"',
    'userName eq "a" and active eq true',
    '(userName eq "a")',
    'userName eq',
  ])('refuses %s with invalidFilter', (filter) => {
    try {
      parseEqFilter(filter, USER_FILTERS);
      expect.fail('accepted');
    } catch (err) {
      expect(err).toBeInstanceOf(ScimProblem);
      expect((err as ScimProblem).scimType).toBe('invalidFilter');
    }
  });
});

describe('pageWindow', () => {
  it('is 1-based, treats startIndex below 1 as 1 and caps count', () => {
    expect(pageWindow(undefined, undefined, 200)).toEqual({ skip: 0, limit: 200 });
    expect(pageWindow(0, 5, 200)).toEqual({ skip: 0, limit: 5 });
    expect(pageWindow(11, -3, 200)).toEqual({ skip: 10, limit: 0 });
    expect(pageWindow(1, 5000, 200)).toEqual({ skip: 0, limit: 200 });
  });
});

describe('parseEqFilter: bad escapes', () => {
  it('refuses an escape JSON does not know as invalidFilter, and reads the ones it does', () => {
    for (const filter of ['userName eq "\\q"', 'userName eq "\\u12"', 'userName eq "a\\x41"']) {
      expect(() => parseEqFilter(filter, ['userName'])).toThrow(
        expect.objectContaining({ name: 'ScimProblem', scimType: 'invalidFilter' }),
      );
    }
    expect(parseEqFilter('userName eq "a\\"b\\\\c"', ['userName']).value).toBe('a"b\\c');
  });
});
