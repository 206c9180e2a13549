import * as client from 'openid-client';
import { SsoFailure } from '../../../domain/sso/failure.js';
import type { SsoSettings } from './settings.js';

const DISCOVERY_TTL_MS = 60 * 60 * 1000;
const discovered = new Map<string, { metadata: client.ServerMetadata; at: number }>();

/** Plain http is allowed only for a provider on this machine (tests, local development). */
function isLoopback(issuer: string): boolean {
  const host = new URL(issuer).hostname;
  return host === 'localhost' || host === '127.0.0.1' || host === '[::1]';
}

/**
 * The relying party's configuration for one request. The provider's metadata comes from discovery
 * (`<issuer>/.well-known/openid-configuration`), kept an hour per issuer; the configuration itself
 * is rebuilt each time so token times are checked against the app's clock (`clockSkew`: how far
 * the app's `now` is from the machine's), the clock every other rule uses.
 */
export async function relyingParty(
  settings: Pick<SsoSettings, 'issuer' | 'clientId'>,
  secret: string,
  now: Date,
): Promise<client.Configuration> {
  const insecure = isLoopback(settings.issuer);
  let cached = discovered.get(settings.issuer);
  if (!cached || Date.now() - cached.at > DISCOVERY_TTL_MS) {
    const found = await client
      .discovery(
        new URL(settings.issuer),
        settings.clientId,
        undefined,
        client.ClientSecretBasic(secret),
        insecure ? { execute: [client.allowInsecureRequests] } : undefined,
      )
      .catch((err: unknown) => {
        throw new SsoFailure('provider_unreachable', (err as Error).message);
      });
    cached = { metadata: found.serverMetadata(), at: Date.now() };
    discovered.set(settings.issuer, cached);
  }
  const config = new client.Configuration(
    cached.metadata,
    settings.clientId,
    { [client.clockSkew]: Math.round((now.getTime() - Date.now()) / 1000) },
    client.ClientSecretBasic(secret),
  );
  if (insecure) client.allowInsecureRequests(config);
  return config;
}

/** Forgets discovered metadata (after the admin changes the issuer). */
export function forgetDiscovery(issuer?: string): void {
  if (issuer) discovered.delete(issuer);
  else discovered.clear();
}
