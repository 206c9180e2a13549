import { describe, expect, it } from 'vitest';
import {
  normalisePassword,
  type PasswordContext,
  passwordProblem as problemOf,
} from '../../../src/domain/password-policy.js';
import { translator } from '../../../src/i18n/translator.js';

/** The rule's message as an English reader sees it (the rule gives a catalogue key and values). */
function passwordProblem(password: string, ctx: PasswordContext): string | null {
  const problem = problemOf(password, ctx);
  return problem && translator('en').t(problem.key, problem.values);
}

const noList = { isCommon: () => false };

describe('password policy (NIST SP 800-63B)', () => {
  it('counts code points after NFKC, not UTF-16 units', () => {
    expect(passwordProblem('😀'.repeat(6), noList)).toMatch(/at least 12 characters \(it has 6\)/);
    // "e" + combining acute accent is one character after NFKC.
    expect(passwordProblem('e\u0301'.repeat(6), noList)).toMatch(/it has 6/);
    expect(normalisePassword('ｐａｓｓ')).toBe('pass');
  });

  it('allows spaces and any characters, but not only spaces', () => {
    expect(passwordProblem('\t \u3000'.repeat(5), noList)).toMatch(/only spaces/);
    expect(passwordProblem('violet ocean lamp', noList)).toBeNull();
    expect(passwordProblem('пароль-сильный-42', noList)).toBeNull();
  });

  it('refuses repeated and sequential runs', () => {
    for (const p of [
      'aaaaaaaaaaaa',
      'abababababab',
      'abcabcabcabc',
      '123456789012',
      'zyxwvutsrqpo',
      'AAAAaaaaAAAA',
    ])
      expect(passwordProblem(p, noList), p).toMatch(/repeated or sequential/);
    expect(passwordProblem('abcdefghijkz', noList)).toBeNull();
  });

  it('asks the list in lower case, and refuses the e-mail in the password', () => {
    const seen: string[] = [];
    const list = {
      isCommon(p: string) {
        seen.push(p);
        return p === 'password1234';
      },
    };
    expect(passwordProblem('PassWord1234', list)).toMatch(/common or breached/);
    expect(seen).toContain('password1234');
    expect(passwordProblem('my-name-is-jo.smith!', { ...noList, email: 'jo.smith@x.org' })).toMatch(/e-mail/);
    expect(passwordProblem('lorem-ipsum-dolor', { ...noList, email: 'jo@x.org' })).toBeNull();
  });

  it('caps the length at 256 characters', () => {
    expect(passwordProblem('ab1-'.repeat(70), noList)).toMatch(/at most 256/);
  });
});
