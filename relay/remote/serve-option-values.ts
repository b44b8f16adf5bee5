/**
 * The values of `serve --http` options, each read from its text with a sentence saying what to
 * use when it is wrong (serve-options.ts reads the flags and the environment).
 */
import { ConfigError } from '../config';
import { DEFAULT_RATE_LIMIT, type RateLimit } from './patient-rate-limiter';

/** The shared store, and the sealing key that must come with it (the same on every replica). */
export function stateStore(
  flag: string | boolean | undefined,
  env: NodeJS.ProcessEnv,
): { stateStoreUrl: string | null; sealKey: string | null } {
  const text = typeof flag === 'string' ? flag : env.HOSPIAI_MCP_STATE_STORE;
  const sealKey = secretKey('HOSPIAI_MCP_SEAL_KEY', env.HOSPIAI_MCP_SEAL_KEY);
  if (!text) return { stateStoreUrl: null, sealKey };
  const url = urlOf('--state-store', text, 'redis://127.0.0.1:6379/0 (or rediss:// for TLS)');
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:')
    throw new ConfigError(
      '--state-store must be a Redis URL, e.g. redis://127.0.0.1:6379/0 (or rediss:// for TLS).',
    );
  if (typeof flag === 'string' && url.password)
    throw new ConfigError(
      '--state-store carries a password: give that URL in HOSPIAI_MCP_STATE_STORE instead (a command line shows in every process list).',
    );
  if (!sealKey)
    throw new ConfigError(
      'with --state-store, HOSPIAI_MCP_SEAL_KEY must be set, the same on every replica (e.g. `openssl rand -hex 32`): it seals the portal tokens kept there.',
    );
  return { stateStoreUrl: url.href, sealKey };
}

/** From the environment only (a command line shows in every process list). */
export function secretKey(name: string, text: string | undefined): string | null {
  if (!text) return null;
  if (text.length < 32)
    throw new ConfigError(
      `${name} must be at least 32 characters (e.g. \`openssl rand -hex 32\`).`,
    );
  return text;
}

export function int(
  name: string,
  text: string | undefined,
  fallback: number,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max)
    throw new ConfigError(
      `${name} must be a whole number between ${min} and ${max}; got ${JSON.stringify(text)}.`,
    );
  return value;
}

export function list(text: string | undefined): string[] {
  return (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** An option's URL, or a sentence with an example of one. */
function urlOf(option: string, text: string, example: string): URL {
  try {
    return new URL(text);
  } catch {
    throw new ConfigError(`${option} ${JSON.stringify(text)} is not a URL. Example: ${example}`);
  }
}

export function publicUrl(text: string | undefined): URL | null {
  if (!text) return null;
  const url = urlOf('--public-url', text, 'https://mcp.hospital.example/mcp');
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new ConfigError('--public-url must be an http(s) URL.');
  if (url.search || url.hash || url.username)
    throw new ConfigError('--public-url must have no query, fragment or credentials.');
  if (url.pathname === '/') url.pathname = '/mcp';
  return url;
}

export function authorizationServer(text: string | undefined): string | null {
  if (!text) return null;
  const url = urlOf('--authorization-server', text, 'https://login.hospital.example');
  if (url.protocol !== 'https:' && !['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname))
    throw new ConfigError(
      '--authorization-server must be an https URL (http only on the loopback).',
    );
  if (url.search || url.hash || url.username)
    throw new ConfigError('--authorization-server must have no query, fragment or credentials.');
  // RFC 8414 issuer identifiers have no trailing slash on an empty path.
  return url.pathname === '/' ? url.origin : url.href.replace(/\/+$/, '');
}

export function origin(text: string): string {
  try {
    return new URL(text).origin;
  } catch {
    throw new ConfigError(
      `--allowed-origins: ${JSON.stringify(text)} is not an origin such as https://assistant.example.`,
    );
  }
}

export function rateLimit(text: string | undefined): RateLimit {
  if (!text) return DEFAULT_RATE_LIMIT;
  const match = /^(\d+)\/(\d+(?:\.\d+)?)$/.exec(text.trim());
  const burst = Number(match?.[1]);
  const perSecond = Number(match?.[2]);
  if (!match || burst < 1 || perSecond <= 0)
    throw new ConfigError(
      `--rate-limit expects BURST/PER_SECOND such as 60/20; got ${JSON.stringify(text)}.`,
    );
  return { burst, perSecond };
}
