// oidc-provider 8 ships no types and @types/oidc-provider is not installed: the little the test
// provider (tests/helpers/oidc-provider.ts) uses, typed loosely.
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  interface GrantInstance {
    addOIDCScope(scope: string): void;
    save(): Promise<string>;
  }
  interface ProviderContext {
    oidc: {
      client?: { clientId: string };
      session?: { accountId?: string; grantIdFor(clientId: string): string | undefined };
      provider: Provider;
    };
  }
  export default class Provider {
    constructor(
      issuer: string,
      configuration: Record<string, unknown> & {
        loadExistingGrant?: (ctx: ProviderContext) => Promise<GrantInstance | undefined>;
        findAccount?: (ctx: ProviderContext, id: string) => Promise<unknown>;
      },
    );
    Grant: {
      new (init: { clientId: string; accountId: string }): GrantInstance;
      find(id: string): Promise<GrantInstance | undefined>;
    };
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
  }
}
