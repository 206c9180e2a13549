import { beginOidcSignIn, completeOidcSignIn } from './flow.js';
import { ssoLogoutUrl } from './logout.js';
import { checkPasswordSignIn, signInOptions } from './password-gate.js';
import { saveSsoConnection, saveSsoMapping, saveSsoPasswordPolicy, ssoSettings } from './settings.js';

export { callbackPath, type OidcOutcome, type PendingOidcFlow } from './flow.js';
export type { SsoEnvironment, SsoSettings } from './settings.js';

/** Single sign-on commands (part of the identity area). */
export const ssoCommands = {
  ssoSettings,
  saveSsoConnection,
  saveSsoMapping,
  saveSsoPasswordPolicy,
  beginOidcSignIn,
  completeOidcSignIn,
  checkPasswordSignIn,
  signInOptions,
  ssoLogoutUrl,
};
