/**
 * DNS-rebinding protection for the HTTP endpoint: `Host` must be one this server is reached by,
 * and a browser's `Origin`, when sent, one the operator allowed. Checked first, before any
 * other work.
 */
export interface RequestGuardOptions {
  /** `host:port` values, lower case. */
  allowedHosts: string[];
  /** Origins such as https://assistant.example (no trailing slash). */
  allowedOrigins: string[];
}

export type GuardVerdict = { ok: true } | { ok: false; reason: string };

export function createRequestGuard(options: RequestGuardOptions) {
  const hosts = new Set(options.allowedHosts.map((h) => h.toLowerCase()));
  const origins = new Set(options.allowedOrigins.map((o) => o.toLowerCase().replace(/\/+$/, '')));
  return (headers: { host?: string; origin?: string | string[] }): GuardVerdict => {
    const host = (headers.host ?? '').toLowerCase();
    if (!hosts.has(host)) return { ok: false, reason: 'this Host is not served here' };
    const origin = headers.origin;
    if (origin === undefined) return { ok: true };
    if (Array.isArray(origin) || !origins.has(origin.toLowerCase()))
      return { ok: false, reason: 'this Origin is not allowed' };
    return { ok: true };
  };
}

/** `host:port` of a URL, with the scheme's default port written out and bare both ways. */
export function hostsOf(url: URL): string[] {
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  const hosts = [`${url.hostname}:${port}`];
  if (!url.port) hosts.push(url.hostname);
  return hosts;
}
