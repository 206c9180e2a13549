import { beginOidcSignIn, completeOidcSignIn } from './flow.js';
import { ssoLogoutUrl } from './logout.js';
import { checkPasswordSignIn, signInOptions } from './password-gate.js';
import { beginSamlSignIn, completeSamlSignIn, samlServiceProviderMetadata } from './saml.js';
import { saveSamlConnection } from './saml-connection.js';
import { saveSsoConnection, saveSsoMapping, saveSsoPasswordPolicy, ssoSettings } from './settings.js';

export { callbackPath, type OidcOutcome, type PendingOidcFlow } from './flow.js';
export {
  answersPendingFlow,
  type PendingSamlFlow,
  type SamlOutcome,
  samlAcsPath,
  samlMetadataPath,
} from './saml.js';
export type { SsoEnvironment, SsoSettings } from './settings.js';

/** Single sign-on commands (part of the identity area). */
export const ssoCommands = {
  ssoSettings,
  saveSsoConnection,
  saveSamlConnection,
  saveSsoMapping,
  saveSsoPasswordPolicy,
  beginOidcSignIn,
  completeOidcSignIn,
  beginSamlSignIn,
  completeSamlSignIn,
  samlServiceProviderMetadata,
  checkPasswordSignIn,
  signInOptions,
  ssoLogoutUrl,
};
