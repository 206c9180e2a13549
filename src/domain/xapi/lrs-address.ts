import ipaddr from 'ipaddr.js';

/**
 * Where the app may send xAPI statements (#27, review 27-4). The LRS endpoint is typed by an admin
 * and the sender posts the LRS secret to it, so an endpoint must not reach the app's own network
 * (cloud metadata at 169.254.169.254, the database, internal services): https to a public address
 * only, unless the operator names the host in XAPI_ALLOWED_HOSTS (an LRS on the private network,
 * the tests' loopback Ralph), which may then be http and private. Pure; the service resolves names
 * (services/xapi/lrs-guard.ts) and checks every connection again when it is opened.
 */

/**
 * Public unicast only: private, loopback, link-local, unique-local, multicast, carrier-grade NAT,
 * unspecified, broadcast and reserved ranges are not; an IPv4-mapped IPv6 address is judged as the
 * IPv4 address it carries; NAT64, 6to4, Teredo and IPv4-compatible ::/96 (which can carry a private
 * IPv4) are not public.
 */
export function isPublicAddress(ip: string): boolean {
  const bare = ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
  if (!ipaddr.isValid(bare)) return false;
  if (ipaddr.IPv6.isValid(bare) && isIpv4Compatible(bare)) return false;
  return ipaddr.process(bare).range() === 'unicast';
}

/**
 * ::/96, the deprecated IPv4-compatible form (::7f00:1 is ::127.0.0.1): ipaddr.js calls most of it
 * unicast (and reads `::a.b.c.d` as IPv4-mapped), while some stacks route it to the IPv4 address it
 * carries. Never an LRS's address. An IPv6 text with a dotted IPv4 tail counts only as `::ffff:`.
 */
function isIpv4Compatible(text: string): boolean {
  if (text.includes('.')) return !/^(?:0{0,4}:){0,5}:?ffff:(?:\d{1,3}\.){3}\d{1,3}$/i.test(text);
  return ipaddr.IPv6.parse(text)
    .parts.slice(0, 6)
    .every((part) => part === 0);
}

const HOST_ENTRY =
  /^(?:\[[0-9a-f:.]+\]|[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*)(?::(\d{1,5}))?$/;

/** XAPI_ALLOWED_HOSTS: comma-separated `host` or `host:port` (IPv6 in brackets); null if malformed. */
export function parseAllowedHosts(text: string): string[] | null {
  if (text.trim() === '') return [];
  const entries = text.split(',').map((e) => e.trim().toLowerCase());
  for (const entry of entries) {
    const match = HOST_ENTRY.exec(entry);
    if (!match || (match[1] !== undefined && Number(match[1]) > 65535)) return null;
    if (entry.startsWith('[') && !ipaddr.IPv6.isValid(entry.slice(1, entry.indexOf(']')))) return null;
  }
  return entries;
}

/**
 * Whether the operator allowed this host (a URL's `hostname`, brackets optional for IPv6) on this
 * port (the URL's `port`, or the connection's): an entry without a port allows any.
 */
export function isAllowedHost(allowed: readonly string[], hostname: string, port: string | number): boolean {
  const host = hostname.toLowerCase();
  const named = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return allowed.some((entry) => entry === named || entry === `${named}:${port}`);
}

/** `unresolved`: the name has no address (found by the service, not here). */
export type EndpointProblem = 'invalid' | 'https' | 'private' | 'unresolved';

/**
 * What is wrong with an LRS endpoint before any name is resolved: not a URL, http to a host not
 * allowed, or a literal private address not allowed. Null: fine so far (a name must still resolve
 * to public addresses only).
 */
export function endpointProblem(endpoint: string, allowed: readonly string[]): EndpointProblem | null {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return 'invalid';
  }
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  if (isAllowedHost(allowed, url.hostname, port)) return null;
  if (url.protocol !== 'https:') return 'https';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (ipaddr.isValid(host) && !isPublicAddress(host)) return 'private';
  return null;
}
