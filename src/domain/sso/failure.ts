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

/** The catalogue key of the reason's message for the person (src/i18n/messages/<lang>/auth.json "sso.<reason>"). */
export function failureMessage(reason: SsoFailureReason): string {
  return `auth.sso.${reason}`;
}
