import * as client from 'openid-client';
import { relyingParty } from './oidc-client.js';
import { clientSecret, type SsoContext, ssoSettings } from './settings.js';

/**
 * RP-initiated logout: the provider's end-session URL (with the ID token as a hint and the sign-in
 * page to come back to), or null when the provider offers none or SSO is off. Never throws: signing
 * out of the app must work while the provider is unreachable.
 */
export async function ssoLogoutUrl(
  ctx: SsoContext,
  input: { idToken: string | null; now: Date },
): Promise<{ url: string; providerName: string } | null> {
  try {
    const settings = await ssoSettings(ctx);
    // SAML: no single logout (the app's session ends; the IdP's is the IdP's).
    if (!settings.enabled || settings.protocol !== 'oidc' || !settings.issuer) return null;
    const config = await relyingParty(settings, await clientSecret(ctx), input.now);
    if (!config.serverMetadata().end_session_endpoint) return null;
    const url = client.buildEndSessionUrl(config, {
      post_logout_redirect_uri: `${ctx.baseUrl}/login`,
      ...(input.idToken ? { id_token_hint: input.idToken } : {}),
    });
    return { url: url.toString(), providerName: settings.providerName };
  } catch {
    return null;
  }
}
