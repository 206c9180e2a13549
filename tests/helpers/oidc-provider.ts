import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

/** A person the test provider knows: the login name typed on its page is the subject id. */
export interface ProviderAccount {
  sub: string;
  email: string;
  emailVerified?: boolean;
  name: string;
  groups?: string[];
  employeeId?: string;
  department?: string;
}

export interface TestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  accounts: Map<string, ProviderAccount>;
  /**
   * Signs `login` in on the provider's own (devInteractions) login page, the way a browser would
   * (cookies kept, redirects followed), and returns the URL the provider sends back to the app.
   */
  signIn(authorizationUrl: string, login: string): Promise<URL>;
  close(): Promise<void>;
}

const CLIENT_ID = 'policy-training-test';
const CLIENT_SECRET = 'test-client-secret-that-is-long-enough-0123456789';

/**
 * A real OpenID provider (`oidc-provider` 8) on a free loopback port, with one confidential client
 * whose redirect URI is the app's callback. ID tokens live `idTokenSeconds` (default 60), so a test
 * can move the app's clock past their expiry without sleeping.
 */
export async function startOidcProvider(opts: {
  redirectUri: string;
  postLogoutRedirectUri: string;
  accounts: ProviderAccount[];
  idTokenSeconds?: number;
}): Promise<TestProvider> {
  const accounts = new Map(opts.accounts.map((a) => [a.sub, a]));
  let handler: ((req: never, res: never) => void) | null = null;
  const server: Server = createServer((req, res) => handler?.(req as never, res as never));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        redirect_uris: [opts.redirectUri],
        post_logout_redirect_uris: [opts.postLogoutRedirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'groups', 'employee_id', 'department'],
    },
    cookies: { keys: ['oidc-provider-test-cookie-key'] },
    ttl: { IdToken: opts.idTokenSeconds ?? 60 },
    features: { devInteractions: { enabled: true } },
    // First-party client: consent is granted without a second page.
    async loadExistingGrant(ctx) {
      const existing = ctx.oidc.session?.grantIdFor(ctx.oidc.client!.clientId);
      if (existing) return ctx.oidc.provider.Grant.find(existing);
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client!.clientId,
        accountId: ctx.oidc.session!.accountId!,
      });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
    async findAccount(_ctx, id) {
      const account = accounts.get(id);
      if (!account) return undefined;
      return {
        accountId: id,
        async claims() {
          return {
            sub: id,
            email: account.email,
            email_verified: account.emailVerified ?? true,
            name: account.name,
            groups: account.groups ?? [],
            ...(account.employeeId ? { employee_id: account.employeeId } : {}),
            ...(account.department ? { department: account.department } : {}),
          };
        },
      };
    },
  });
  handler = provider.callback() as never;

  async function signIn(authorizationUrl: string, login: string): Promise<URL> {
    const jar = new Map<string, string>();
    let url = new URL(authorizationUrl);
    let init: RequestInit = { method: 'GET' };
    for (let hop = 0; hop < 10; hop += 1) {
      const res = await fetch(url, {
        ...init,
        redirect: 'manual',
        headers: { ...(init.headers as object), cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') },
      });
      for (const line of res.headers.getSetCookie()) {
        const [pair] = line.split(';');
        const eq = pair!.indexOf('=');
        jar.set(pair!.slice(0, eq), pair!.slice(eq + 1));
      }
      const location = res.headers.get('location');
      if (location) {
        const next = new URL(location, url);
        if (next.origin !== issuer) return next;
        url = next;
        init = { method: 'GET' };
        continue;
      }
      const html = await res.text();
      const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
      if (res.status !== 200 || !action)
        throw new Error(`provider answered ${res.status}: ${html.slice(0, 300)}`);
      url = new URL(action.replace(/&amp;/g, '&'), url);
      init = {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ prompt: 'login', login, password: 'any' }).toString(),
      };
    }
    throw new Error('the provider did not send the browser back to the app');
  }

  return {
    issuer,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    accounts,
    signIn,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The admin's OIDC connection form for this test provider, enabled with JIT accounts on. */
export const oidcConnectionForm = (op: TestProvider) => ({
  providerName: 'Test IdP',
  issuer: op.issuer,
  clientId: op.clientId,
  clientSecret: op.clientSecret,
  scopes: 'openid email profile',
  enabled: true,
  jitCreate: true,
});
