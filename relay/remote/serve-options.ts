/**
 * `hospiai-mcp serve --http` options: flags first, then environment variables (what a
 * container or a systemd unit sets), then defaults. Bad values get a sentence saying what to use.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { ConfigError, PRODUCTION_PORTAL_URL, portalUrl } from '../config';
import type { RemoteServerOptions } from './http-server';
import { DEFAULT_RATE_LIMIT } from './patient-rate-limiter';
import { DEFAULT_REVOCATION_TTL_MS, MAX_REVOCATION_TTL_MS } from './revocation-check';
import {
  authorizationServer,
  int,
  list,
  origin,
  publicUrl,
  rateLimit,
  secretKey,
  stateStore,
} from './serve-option-values';

export const SERVE_USAGE = `Usage: hospiai-mcp serve --http [options]

Remote multi-user mode: a Streamable HTTP MCP endpoint that many patients' AI assistants reach,
each request authenticated by the patient's own HospiAI token (Authorization: Bearer).

Options (environment variable in brackets):
  --http                      serve MCP over Streamable HTTP (required; the only transport)
  --host HOST                 address to bind (default 127.0.0.1) [HOSPIAI_MCP_HOST]
  --port N                    port to bind (default 47700; 0 = any free port) [HOSPIAI_MCP_HTTP_PORT]
  --public-url URL            the MCP endpoint as clients reach it, e.g.
                              https://mcp.hospital.example/mcp (default http://HOST:PORT/mcp);
                              its Host is accepted and it names the resource in the
                              OAuth protected-resource metadata [HOSPIAI_MCP_PUBLIC_URL]
  --allowed-hosts LIST        more Host values accepted, comma-separated host:port
                              (e.g. a health checker's) [HOSPIAI_MCP_ALLOWED_HOSTS]
  --allowed-origins LIST      browser origins allowed besides the public URL's,
                              comma-separated [HOSPIAI_MCP_ALLOWED_ORIGINS]
  --replica-id ID             names this replica in session ids; the load balancer routes
                              sessions by it (default: random) [HOSPIAI_MCP_REPLICA_ID]
  --revocation-cache-ms N     how long the portal's "token still valid" answer is reused
                              (default ${DEFAULT_REVOCATION_TTL_MS}, at most ${MAX_REVOCATION_TTL_MS}) [HOSPIAI_MCP_REVOCATION_CACHE_MS]
  --rate-limit BURST/PER_S    per-patient request budget (default ${DEFAULT_RATE_LIMIT.burst}/${DEFAULT_RATE_LIMIT.perSecond}) [HOSPIAI_MCP_RATE_LIMIT]
  --max-body-bytes N          largest request body (default 262144)
  --max-connections N         open connections held at once; more are refused (default 4096)
  --session-idle-ms N         an idle MCP session is closed after this (default 1800000)
  --shutdown-grace-ms N       on SIGTERM, how long in-flight calls may finish (default 30000)
  --authorization-server URL  the OAuth authorization server that issues this resource's tokens
                              (a portal with OAuth of its own); default: this server's own, whose
                              consent page asks the patient for a HospiAI token from the portal's
                              Tokens page [HOSPIAI_MCP_AUTHORIZATION_SERVER]
  --client-metadata-internal-hosts
                              let OAuth client metadata documents be fetched from internal
                              addresses (an intranet's assistants; refused by default)
                              [HOSPIAI_MCP_CLIENT_METADATA_INTERNAL_HOSTS=1]
  --state-store URL           where sign-ins (grants, their tokens, registered clients) and
                              spent confirmation states are kept: redis://HOST:PORT/DB (or
                              rediss://), shared by every replica; default this process's
                              memory. A URL with a password: in the environment only
                              [HOSPIAI_MCP_STATE_STORE]
  --help                      show this help

Also: HOSPIAI_URL (the portal, default ${PRODUCTION_PORTAL_URL}), HOSPIAI_MCP_LANG,
HOSPIAI_MCP_LOG_LEVEL, HOSPIAI_MCP_TIMEOUT_MS, HOSPIAI_MCP_CONFIRM_TIMEOUT_MS, and
HOSPIAI_MCP_REQUEST_STATE_KEY (32 characters or more, the same on every replica: signs the
confirmations asked through 2026-07-28 input-required results; default a key of this process),
and HOSPIAI_MCP_SEAL_KEY (32 characters or more, the same on every replica; required with
--state-store: seals the portal tokens of sign-ins kept there).
GET /healthz answers while the process lives; GET /readyz once the portal's keys are loaded.
`;

/** What the command line sets; the rest of the server's options come from the relay config. */
export type ServeOptions = Omit<
  RemoteServerOptions,
  | 'portalTimeoutMs'
  | 'lang'
  | 'logger'
  | 'sessionServer'
  | 'modernServer'
  | 'directReads'
  | 'toolScopes'
>;

export function parseServeOptions(args: string[], env: NodeJS.ProcessEnv): ServeOptions | 'help' {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        http: { type: 'boolean' },
        host: { type: 'string' },
        port: { type: 'string' },
        'public-url': { type: 'string' },
        'allowed-hosts': { type: 'string' },
        'allowed-origins': { type: 'string' },
        'replica-id': { type: 'string' },
        'revocation-cache-ms': { type: 'string' },
        'rate-limit': { type: 'string' },
        'max-body-bytes': { type: 'string' },
        'max-connections': { type: 'string' },
        'session-idle-ms': { type: 'string' },
        'shutdown-grace-ms': { type: 'string' },
        'authorization-server': { type: 'string' },
        'client-metadata-internal-hosts': { type: 'boolean' },
        'state-store': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
  if (values.help) return 'help';
  if (!values.http)
    throw new ConfigError('serve needs --http (Streamable HTTP is its only transport).');
  const pick = (flag: string, variable: string) => {
    const value = values[flag];
    return typeof value === 'string' ? value : env[variable];
  };
  const host = pick('host', 'HOSPIAI_MCP_HOST') || '127.0.0.1';
  const revocationTtlMs = int(
    '--revocation-cache-ms',
    pick('revocation-cache-ms', 'HOSPIAI_MCP_REVOCATION_CACHE_MS'),
    DEFAULT_REVOCATION_TTL_MS,
    0,
  );
  if (revocationTtlMs > MAX_REVOCATION_TTL_MS)
    throw new ConfigError(
      `--revocation-cache-ms must be at most ${MAX_REVOCATION_TTL_MS}: a revoked token must stop working within 30 s.`,
    );
  const replicaId =
    pick('replica-id', 'HOSPIAI_MCP_REPLICA_ID') || `r${randomBytes(3).toString('hex')}`;
  if (!/^[a-z0-9-]{1,32}$/i.test(replicaId))
    throw new ConfigError(
      '--replica-id must be 1–32 letters, digits or dashes (it becomes part of session ids).',
    );
  return {
    host,
    port: int('--port', pick('port', 'HOSPIAI_MCP_HTTP_PORT'), 47_700, 0, 65_535),
    publicUrl: publicUrl(pick('public-url', 'HOSPIAI_MCP_PUBLIC_URL')),
    allowedHosts: list(pick('allowed-hosts', 'HOSPIAI_MCP_ALLOWED_HOSTS')),
    allowedOrigins: list(pick('allowed-origins', 'HOSPIAI_MCP_ALLOWED_ORIGINS')).map(origin),
    portalUrl: portalUrl(env.HOSPIAI_URL),
    replicaId,
    revocationTtlMs,
    rateLimit: rateLimit(pick('rate-limit', 'HOSPIAI_MCP_RATE_LIMIT')),
    maxBodyBytes: int('--max-body-bytes', pick('max-body-bytes', ''), 262_144, 1024),
    maxConnections: int('--max-connections', pick('max-connections', ''), 4096, 1),
    sessionIdleMs: int('--session-idle-ms', pick('session-idle-ms', ''), 1_800_000, 1000),
    shutdownGraceMs: int('--shutdown-grace-ms', pick('shutdown-grace-ms', ''), 30_000, 0),
    authorizationServer: authorizationServer(
      pick('authorization-server', 'HOSPIAI_MCP_AUTHORIZATION_SERVER'),
    ),
    clientMetadataInternalHosts:
      values['client-metadata-internal-hosts'] === true ||
      env.HOSPIAI_MCP_CLIENT_METADATA_INTERNAL_HOSTS === '1',
    requestStateKey: secretKey('HOSPIAI_MCP_REQUEST_STATE_KEY', env.HOSPIAI_MCP_REQUEST_STATE_KEY),
    ...stateStore(values['state-store'], env),
  };
}
