import http from 'node:http';

/**
 * A minimal loopback HTTP client for the bench's scripted flows (setup, the exam-day burst).
 * Node's own http module, so each simulated learner can have its own source address in
 * 127.0.0.0/8: the app then sees distinct client addresses, as it would in production.
 */

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** Time to the last byte, ms. */
  ms: number;
  /** Time to the response head (status line and headers): the first byte, ms. */
  ttfbMs: number;
}

export interface HttpRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  agent?: http.Agent;
  timeoutMs?: number;
}

export function httpRequest(url: string, req: HttpRequest = {}): Promise<HttpResponse> {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const r = http.request(
      url,
      {
        method: req.method ?? 'GET',
        headers: {
          ...(req.body !== undefined ? { 'content-length': String(Buffer.byteLength(req.body)) } : {}),
          ...req.headers,
        },
        agent: req.agent,
        timeout: req.timeoutMs ?? 30_000,
      },
      (res) => {
        const ttfbMs = performance.now() - start;
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
            ms: performance.now() - start,
            ttfbMs,
          }),
        );
        res.on('error', reject);
      },
    );
    r.on('timeout', () => r.destroy(new Error(`timeout after ${req.timeoutMs ?? 30_000} ms: ${url}`)));
    r.on('error', reject);
    if (req.body !== undefined) r.write(req.body);
    r.end();
  });
}

/** Posts an urlencoded form (repeated keys for arrays). */
export function postForm(
  url: string,
  form: Record<string, string | string[]>,
  req: Omit<HttpRequest, 'body' | 'method'> = {},
): Promise<HttpResponse> {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(form)) for (const item of [v].flat()) body.append(k, item);
  return httpRequest(url, {
    ...req,
    method: 'POST',
    body: body.toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...req.headers },
  });
}

/** A keep-alive agent whose sockets leave from `localAddress` (any address in 127.0.0.0/8). */
export function loopbackAgent(localAddress = '127.0.0.1', maxSockets = 8): http.Agent {
  return new http.Agent({ keepAlive: true, localAddress, maxSockets });
}

/** The n-th distinct loopback source address (127.0.1.1, 127.0.1.2, …), skipping .0 and .255. */
export function loopbackAddress(n: number): string {
  const b = Math.floor(n / 254);
  const c = (n % 254) + 1;
  return `127.0.${1 + (b % 254)}.${c}`;
}

/** The `name=value` pairs of every Set-Cookie header, to merge into a Cookie header. */
export function setCookies(res: HttpResponse): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of res.headers['set-cookie'] ?? []) {
    const pair = line.split(';', 1)[0]!;
    const eq = pair.indexOf('=');
    if (eq > 0) out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}

export function cookieHeader(cookies: Record<string, string>): string {
  return Object.entries(cookies)
    .map(([k, v]) => `${k}=${v}`)
    .join('; ');
}

export function csrfTokenIn(html: string): string | null {
  return /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? null;
}
