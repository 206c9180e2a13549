import { parseEmailList } from '../../../domain/sso/password-policy.js';
import { parseCertificates } from '../../../domain/sso/saml-metadata.js';
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
  SAML_IDP_METADATA_URL?: string;
  SAML_IDP_ENTITY_ID?: string;
  SAML_IDP_SSO_URL?: string;
  SAML_IDP_CERT?: string;
  SAML_PROVIDER_NAME: string;
  SAML_JIT: 'on' | 'off';
  SAML_EMAIL_ATTRIBUTE: string;
  SAML_NAME_ATTRIBUTE: string;
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
    saml: samlEnvironment(env),
    ...(env.PASSWORD_LOGIN ? { passwordLogin: env.PASSWORD_LOGIN } : {}),
    breakGlass: parseEmailList(env.PASSWORD_LOGIN_BREAK_GLASS ?? ''),
    ...(env.SSO_ENCRYPTION_KEY ? { encryptionKey: env.SSO_ENCRYPTION_KEY } : {}),
    dataDir: env.DATA_DIR,
  };
}

/** SAML from the environment (config.ts made sure it comes as a set, and never with OIDC). */
function samlEnvironment(env: SsoVariables): SsoEnvironment['saml'] {
  const manual = env.SAML_IDP_ENTITY_ID && env.SAML_IDP_SSO_URL && env.SAML_IDP_CERT;
  if (!manual && !env.SAML_IDP_METADATA_URL) return null;
  const certs = env.SAML_IDP_CERT ? parseCertificates(env.SAML_IDP_CERT) : null;
  return {
    metadataUrl: manual ? '' : (env.SAML_IDP_METADATA_URL ?? ''),
    idpEntityId: manual ? (env.SAML_IDP_ENTITY_ID ?? '') : '',
    ssoUrl: manual ? (env.SAML_IDP_SSO_URL ?? '') : '',
    certificates: certs?.ok ? certs.value : [],
    providerName: env.SAML_PROVIDER_NAME,
    jitCreate: env.SAML_JIT === 'on',
    emailAttribute: env.SAML_EMAIL_ATTRIBUTE,
    nameAttribute: env.SAML_NAME_ATTRIBUTE,
  };
}
