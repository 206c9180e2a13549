/** Why a single sign-on attempt was refused: kept in the audit log, mapped to a message and status. */
export const SSO_FAILURE_REASONS = [
  'not_configured',
  'no_pending_flow',
  'state_mismatch',
  'nonce_mismatch',
  'code_replay',
  'token_expired',
  'provider_error',
  'provider_unreachable',
  'invalid_response',
  'no_subject',
  'email_not_verified',
  'no_matching_account',
  'inactive_person',
  'not_admin',
  'privileged_account_not_linked',
  'secret_unreadable',
  // SAML 2.0: what a signed response may fail on (the library's message stays in the audit detail only).
  'signature_invalid',
  'response_unsigned',
  'audience_mismatch',
  'recipient_mismatch',
  'assertion_expired',
  'assertion_replayed',
  'unsolicited_response',
  'nameid_not_persistent',
] as const;
export type SsoFailureReason = (typeof SSO_FAILURE_REASONS)[number];

/** A refused sign-in; `reason` goes to the audit log, never the provider's raw message to the page. */
export class SsoFailure extends Error {
  constructor(
    readonly reason: SsoFailureReason,
    detail?: string,
    /** The person the attempt was for, when known (an inactive person, an unverified e-mail). */
    readonly userId?: string,
  ) {
    super(detail ? `${reason}: ${detail}` : reason);
  }
}

/** Tampering or a stale browser tab (400) versus a valid sign-in of someone not let in (403). */
export function failureStatus(reason: SsoFailureReason): 400 | 403 | 502 | 503 {
  if (reason === 'provider_unreachable') return 502;
  if (reason === 'secret_unreadable') return 503;
  return [
    'email_not_verified',
    'no_matching_account',
    'inactive_person',
    'not_admin',
    'privileged_account_not_linked',
  ].includes(reason)
    ? 403
    : 400;
}

const MESSAGES: Record<SsoFailureReason, string> = {
  not_configured: 'Single sign-on is not set up. Sign in with your password, or ask an administrator.',
  no_pending_flow: 'This sign-in link has expired or was already used. Start again.',
  state_mismatch: 'This sign-in response did not match the one this browser started. Start again.',
  nonce_mismatch: 'The identity provider’s answer did not match this sign-in. Start again.',
  code_replay: 'This sign-in response was already used. Start again.',
  token_expired: 'The identity provider’s answer has expired. Start again.',
  provider_error: 'The identity provider did not sign you in. Start again, or ask an administrator.',
  provider_unreachable:
    'The identity provider could not be reached. Try again in a minute; if it is down, an administrator can still sign in with a password.',
  invalid_response: 'The identity provider’s answer could not be checked. Ask an administrator.',
  no_subject: 'The identity provider’s answer could not be checked. Ask an administrator.',
  email_not_verified: 'Your identity provider has not verified your e-mail address. Ask an administrator.',
  no_matching_account: 'There is no account for you here yet. Ask HR to add you.',
  inactive_person: 'Your account is not active. Ask HR if this is a mistake.',
  not_admin: 'Only an administrator can test the connection.',
  privileged_account_not_linked:
    'Administrator and HR accounts are not linked to single sign-on by e-mail. Sign in with your password and choose “Link my account to single sign-on” on the Single sign-on page, or ask an administrator to link your account.',
  secret_unreadable:
    'Single sign-on is unavailable: the stored client secret cannot be read with this server’s encryption key. Ask an administrator to enter the client secret again; administrators can still sign in with a password.',
  signature_invalid: 'The identity provider’s answer was not signed with its key. Ask an administrator.',
  response_unsigned: 'The identity provider’s answer was not signed. Ask an administrator.',
  audience_mismatch:
    'The identity provider’s answer was meant for another application. Ask an administrator.',
  recipient_mismatch: 'The identity provider’s answer was sent for another address. Ask an administrator.',
  assertion_expired: 'The identity provider’s answer has expired or is not valid yet. Start again.',
  assertion_replayed: 'This sign-in response was already used. Start again.',
  unsolicited_response:
    'This sign-in did not start here, or was started in another browser tab. Sign in from this site’s sign-in page.',
  nameid_not_persistent:
    'The identity provider sent a temporary (transient) name identifier, which changes at every sign-in. An administrator must set the NameID format to persistent or e-mail address at the identity provider.',
};

export function failureMessage(reason: SsoFailureReason): string {
  return MESSAGES[reason];
}
