import { mkdtemp, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, readEnv, startupWarnings } from '../../../src/config.js';
import { DEFAULT_MAPPING, mapClaims, parseRoleGroups } from '../../../src/domain/sso/mapping.js';
import { parseEmailList, passwordSignInAllowed } from '../../../src/domain/sso/password-policy.js';
import { open, resolveSsoKey, seal } from '../../../src/services/identity/sso/secret-box.js';

const mapping = {
  ...DEFAULT_MAPPING,
  employeeIdClaim: 'employee_id',
  managerClaim: 'manager_email',
  departmentClaim: 'department',
  roleByGroup: parseRoleGroups('LMS-Admins = admin\nLMS-HR = hr').value,
  departmentByGroup: [{ group: 'dept-finance', department: 'Finance' }],
};

describe('claim mapping', () => {
  it('maps groups (case-insensitive, first line wins) and claims to the person fields', () => {
    const m = mapClaims(
      's1',
      {
        email: 'Ann@Example.COM',
        email_verified: true,
        name: 'Ann',
        groups: ['lms-hr', 'LMS-Admins', 'Dept-Finance'],
        employee_id: 1234,
        department: 'Ignored when a group names one',
        manager_email: 'Boss@Example.com',
      },
      mapping,
    );
    expect(m).toMatchObject({
      subject: 's1',
      email: 'ann@example.com',
      emailVerified: true,
      role: 'admin',
      department: 'Finance',
      employeeId: '1234',
      managerEmail: 'boss@example.com',
    });
  });

  it('falls back to employee when role lines are set and none matches; no lines leave the role alone', () => {
    expect(mapClaims('s2', { groups: ['Other'] }, mapping).role).toBe('employee');
    expect(mapClaims('s2', { groups: ['Other'] }, { ...mapping, roleByGroup: [] }).role).toBeUndefined();
  });

  it('counts an e-mail as verified only when the provider says true', () => {
    expect(mapClaims('s', { email: 'a@b.example' }, mapping).emailVerified).toBe(false);
    expect(mapClaims('s', { email: 'a@b.example', email_verified: false }, mapping).emailVerified).toBe(
      false,
    );
    expect(mapClaims('s', { email: 'not-an-email', email_verified: true }, mapping).email).toBeNull();
  });

  it('refuses a line naming no role', () => {
    expect(parseRoleGroups('Staff = superuser').errors).toHaveLength(1);
    expect(parseRoleGroups('no equals sign').errors).toHaveLength(1);
  });
});

describe('password sign-in switch', () => {
  const off = {
    passwordLogin: 'off' as const,
    breakGlass: parseEmailList('Root@Demo.test, other@demo.test'),
  };
  it('lets only listed admins through while off', () => {
    expect(passwordSignInAllowed(off, { email: 'root@demo.test', role: 'admin' })).toBe(true);
    expect(passwordSignInAllowed(off, { email: 'other@demo.test', role: 'hr' })).toBe(false);
    expect(passwordSignInAllowed(off, { email: 'x@demo.test', role: 'admin' })).toBe(false);
    expect(passwordSignInAllowed(off, null)).toBe(false);
    expect(passwordSignInAllowed({ passwordLogin: 'on', breakGlass: [] }, null)).toBe(true);
  });
});

describe('client secret encryption', () => {
  it('seals with AES-256-GCM and refuses a tampered value or another key', async () => {
    const key = await resolveSsoKey('c'.repeat(64), '/nonexistent');
    const sealed = seal(key, 'the-secret');
    expect(sealed).not.toContain('the-secret');
    expect(open(key, sealed)).toBe('the-secret');
    const parts = sealed.split('.');
    parts[3] = Buffer.from('tampered').toString('base64url');
    expect(() => open(key, parts.join('.'))).toThrow();
    expect(() => open(Buffer.alloc(32, 1), sealed)).toThrow();
  });

  it('creates the key file on first use with mode 0600 and reads the same key after', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sso-key-'));
    const first = await resolveSsoKey(undefined, dir);
    expect((await stat(path.join(dir, 'sso-encryption-key'))).mode & 0o777).toBe(0o600);
    expect((await resolveSsoKey(undefined, dir)).equals(first)).toBe(true);
  });
});

describe('SSO environment variables', () => {
  it('needs issuer, client id and secret together, and a 32-byte key', () => {
    expect(() => readEnv({ OIDC_ISSUER: 'https://login.example.com' })).toThrow(ConfigError);
    expect(() => readEnv({ SSO_ENCRYPTION_KEY: 'short' })).toThrow(/SSO_ENCRYPTION_KEY/);
    expect(() => readEnv({ PASSWORD_LOGIN: 'off' })).toThrow(/PASSWORD_LOGIN_BREAK_GLASS/);
    expect(() => readEnv({ PASSWORD_LOGIN: 'off', PASSWORD_LOGIN_BREAK_GLASS: ' , ' })).toThrow(
      /PASSWORD_LOGIN_BREAK_GLASS/,
    );
    const env = readEnv({
      OIDC_ISSUER: 'https://login.example.com',
      OIDC_CLIENT_ID: 'id',
      OIDC_CLIENT_SECRET: 'secret',
      SSO_ENCRYPTION_KEY: 'd'.repeat(64),
      PASSWORD_LOGIN: 'off',
      PASSWORD_LOGIN_BREAK_GLASS: 'admin@example.com',
    });
    expect(env).toMatchObject({
      OIDC_SCOPES: 'openid email profile',
      OIDC_JIT: 'off',
      PASSWORD_LOGIN: 'off',
      PASSWORD_LOGIN_BREAK_GLASS: 'admin@example.com',
    });
  });
});

describe('start-up warnings', () => {
  it('warns in production when the SSO key file would sit beside the embedded database', () => {
    const prod = { NODE_ENV: 'production', SESSION_SECRET: 's'.repeat(40) };
    expect(startupWarnings(readEnv(prod)).join('\n')).toMatch(/SSO_ENCRYPTION_KEY/);
    expect(startupWarnings(readEnv({ ...prod, SSO_ENCRYPTION_KEY: 'd'.repeat(64) }))).toEqual([]);
    expect(startupWarnings(readEnv({ ...prod, MONGODB_URI: 'mongodb://db.example/app' }))).toEqual([]);
    expect(startupWarnings(readEnv({ NODE_ENV: 'development' }))).toEqual([]);
  });
});
