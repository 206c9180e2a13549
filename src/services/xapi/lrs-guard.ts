import { type LookupAddress, type LookupOptions, lookup } from 'node:dns';
import { isIP } from 'node:net';
import { Agent, buildConnector, type Dispatcher } from 'undici';
import {
  type EndpointProblem,
  endpointProblem,
  isAllowedHost,
  isPublicAddress,
} from '../../domain/xapi/lrs-address.js';

/**
 * The network side of the LRS address rule (#27, review 27-4; the rule is domain/xapi/lrs-address.ts):
 * at save, a name must resolve to public addresses only; at send, every connection is checked when
 * it is opened, after DNS, so a name that re-resolves to a private address later (DNS rebinding)
 * or a setting written behind the admin page's back still cannot reach the app's own network.
 */

function refusal(host: string): Error {
  return Object.assign(new Error(`LRS host ${host} is not a public address`), { code: 'ELRSNOTPUBLIC' });
}

type LookupCallback = (err: Error | null, address: string | LookupAddress[], family?: number) => void;

/** dns.lookup that answers only when every address of the name is public. */
function publicLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  lookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, []);
    const first = addresses[0];
    if (!first || addresses.some((a) => !isPublicAddress(a.address))) return callback(refusal(hostname), []);
    if (options.all) return callback(null, addresses);
    callback(null, first.address, first.family);
  });
}

const dispatchers = new Map<string, Dispatcher>();

/**
 * The sender's connections: to an allowed host as asked; to any other only when its address (literal
 * or resolved) is public. One agent per allow list, kept for the process (its connection pool).
 */
export function lrsDispatcher(allowed: readonly string[]): Dispatcher {
  const cacheKey = allowed.join(',');
  const kept = dispatchers.get(cacheKey);
  if (kept) return kept;
  const open = buildConnector({});
  const guarded = buildConnector({ lookup: publicLookup });
  const agent = new Agent({
    connect: (options, callback) => {
      const host = options.hostname.replace(/^\[|\]$/g, '');
      const port = options.port || (options.protocol === 'https:' ? '443' : '80');
      if (isAllowedHost(allowed, host, port)) return open(options, callback);
      // A literal address is never looked up: judged here.
      if (isIP(host) !== 0 && !isPublicAddress(host)) return callback(refusal(host), null);
      return guarded(options, callback);
    },
  });
  dispatchers.set(cacheKey, agent);
  return agent;
}

/** Null when every address the name resolves to is public (a literal address: itself). */
async function addressProblem(hostname: string): Promise<'private' | 'unresolved' | null> {
  const host = hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) !== 0) return isPublicAddress(host) ? null : 'private';
  return new Promise((resolve) =>
    lookup(host, { all: true }, (err, addresses) => {
      if (err || addresses.length === 0) return resolve('unresolved');
      resolve(addresses.every((a) => isPublicAddress(a.address)) ? null : 'private');
    }),
  );
}

/**
 * The endpoint's problem at save: the pure rule, then (for a host not allowed) its name resolved.
 * A name that does not resolve is refused too (`unresolved`): nothing could be sent there.
 */
export async function lrsEndpointProblem(
  endpoint: string,
  allowed: readonly string[],
): Promise<EndpointProblem | null> {
  const problem = endpointProblem(endpoint, allowed);
  if (problem) return problem;
  const url = new URL(endpoint);
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  if (isAllowedHost(allowed, url.hostname, port)) return null;
  return addressProblem(url.hostname);
}
