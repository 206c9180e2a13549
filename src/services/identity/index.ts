import { login } from './login.js';
import { sendLoginAlert } from './login-alerts.js';
import { beginSignIn, endSignIn } from './login-throttle.js';
import { scimCommands } from './scim/index.js';
import { ssoCommands } from './sso/index.js';

/** The identity area's commands, bound to the service context in services/index.ts: sign-in, its throttle and alerts. */
export const identityCommands = {
  login,
  sendLoginAlert,
  beginSignIn,
  endSignIn,
  ...scimCommands,
  ...ssoCommands,
};
