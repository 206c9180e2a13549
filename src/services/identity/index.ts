import { login } from './login.js';
import { sendLoginAlert } from './login-alerts.js';

/** The identity area's commands, bound to the service context in services/index.ts: sign-in and its alerts. */
export const identityCommands = { login, sendLoginAlert };
