import { parseEmailList } from '../../../domain/sso/password-policy.js';
import type { SsoEnvironment } from './settings.js';

/** The SSO variables as config.ts validated them (a structural type: services do not import config). */
interface SsoVariables {
  DATA_DIR: string;
  OIDC_ISSUER?: string;
  OIDC_CLIENT_ID?: string;
  OIDC_CLIENT_SECRET?: string;
  OIDC_PROVIDER_NAME: string;
  OIDC_SCOPES: string;
  OIDC_JIT: 'on' | 'off';
  SSO_ENCRYPTION_KEY?: string;
  PASSWORD_LOGIN?: 'on' | 'off';
  PASSWORD_LOGIN_BREAK_GLASS?: string;
}

export function ssoEnvironment(env: SsoVariables): SsoEnvironment {
  const oidc =
    env.OIDC_ISSUER && env.OIDC_CLIENT_ID && env.OIDC_CLIENT_SECRET
      ? {
          issuer: env.OIDC_ISSUER.replace(/\/$/, ''),
          clientId: env.OIDC_CLIENT_ID,
          clientSecret: env.OIDC_CLIENT_SECRET,
          providerName: env.OIDC_PROVIDER_NAME,
          scopes: env.OIDC_SCOPES,
          jitCreate: env.OIDC_JIT === 'on',
        }
      : null;
  return {
    oidc,
    ...(env.PASSWORD_LOGIN ? { passwordLogin: env.PASSWORD_LOGIN } : {}),
    breakGlass: parseEmailList(env.PASSWORD_LOGIN_BREAK_GLASS ?? ''),
    ...(env.SSO_ENCRYPTION_KEY ? { encryptionKey: env.SSO_ENCRYPTION_KEY } : {}),
    dataDir: env.DATA_DIR,
  };
}
