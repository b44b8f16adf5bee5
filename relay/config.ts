/**
 * The relay's configuration, from environment variables (what AI clients' config files set)
 * and flags. Everything a test needs is here, so tests run many relays side by side.
 */
import { type PortRange, parsePortRange } from './bridge/port-range';
import { resolveHome } from './home';
import { type Lang, langFromEnv, type Translate, translator } from './i18n/messages';
import type { Say } from './i18n/say';
import type { LogLevel } from './logger';
import { DEFAULT_PORT_RANGE } from './protocol/protocol';

export const PRODUCTION_PORTAL_URL = 'https://hospi-ai-v8rf.vercel.app';

const DEFAULT_RANGE = `${DEFAULT_PORT_RANGE.first}-${DEFAULT_PORT_RANGE.last}`;

export interface RelayConfig {
  portalUrl: string;
  home: string;
  ports: PortRange;
  /** HOSPIAI_TOKEN, the fallback token source (the seed's client configuration). */
  environmentToken: string | null;
  lang: Lang;
  logLevel: LogLevel;
  /** Extra Chrome extension ids allowed on the bridge (a developer's unpacked build). */
  extraExtensionIds: string[];
  portalTimeoutMs: number;
  confirmationTimeoutMs: number;
  /**
   * HOSPIAI_PAIRING_CODE: the code the HospiAI extension shows, given at install time (the
   * `.mcpb` bundle's user_config). Used once, while no extension is paired; worthless after.
   */
  pairingCode: string | null;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function configHelp(say: Say): string {
  const rows: Array<[string, string, string]> = [
    [
      'HOSPIAI_URL',
      `HospiAI portal (default ${PRODUCTION_PORTAL_URL})`,
      `portail HospiAI (par défaut ${PRODUCTION_PORTAL_URL})`,
    ],
    [
      'HOSPIAI_MCP_HOME',
      "config directory: pairing secret, audit log (default: your OS's per-user config directory)",
      'dossier de configuration : secret d’appairage, journal d’audit (par défaut : le dossier de configuration de votre compte)',
    ],
    [
      'HOSPIAI_MCP_PORTS',
      `bridge port range for the browser extension (default ${DEFAULT_RANGE})`,
      `plage de ports du pont pour l’extension du navigateur (par défaut ${DEFAULT_RANGE})`,
    ],
    [
      'HOSPIAI_TOKEN',
      'a HospiAI API token, used when the extension has not delivered one (kept in memory only; prefer the extension)',
      'un jeton d’API HospiAI, utilisé quand l’extension n’en a pas transmis (gardé en mémoire seulement ; préférez l’extension)',
    ],
    [
      'HOSPIAI_PAIRING_CODE',
      'the one-time code the HospiAI extension shows, to pair without a terminal (used once, while no extension is paired)',
      'le code à usage unique affiché par l’extension HospiAI, pour appairer sans terminal (utilisé une fois, tant qu’aucune extension n’est appairée)',
    ],
    [
      'HOSPIAI_MCP_LANG',
      'en or fr (default: from LC_ALL, LC_MESSAGES, LANG)',
      'en ou fr (par défaut : d’après LC_ALL, LC_MESSAGES, LANG)',
    ],
    [
      'HOSPIAI_MCP_LOG_LEVEL',
      'debug, info, warn or error (default info; logs go to stderr)',
      'debug, info, warn ou error (par défaut info ; les journaux vont sur stderr)',
    ],
    [
      'HOSPIAI_MCP_EXTENSION_IDS',
      'extra Chrome extension ids allowed to connect (comma-separated)',
      'identifiants d’extension Chrome supplémentaires autorisés (séparés par des virgules)',
    ],
    [
      'HOSPIAI_MCP_TIMEOUT_MS',
      'portal request timeout (default 10000)',
      'délai des requêtes au portail (par défaut 10000)',
    ],
    [
      'HOSPIAI_MCP_CONFIRM_TIMEOUT_MS',
      'how long the patient has to confirm a booking (default 120000)',
      'temps laissé au patient pour confirmer un rendez-vous (par défaut 120000)',
    ],
  ];
  return [
    say('Environment:', 'Environnement :'),
    ...rows.map(([name, en, fr]) => `  ${name.padEnd(31)} ${say(en, fr)}`),
  ].join('\n');
}

export const CONFIG_HELP = configHelp((en) => en);

/** The configuration from `env`; a ConfigError (in the patient's language) says what to fix. */
export function loadConfig(env: NodeJS.ProcessEnv): RelayConfig {
  const lang = langFromEnv(env);
  const t = translator(lang);
  return {
    portalUrl: portalUrl(env.HOSPIAI_URL, t),
    home: resolveHome(env),
    ports: parsePortRange(env.HOSPIAI_MCP_PORTS, t),
    environmentToken: env.HOSPIAI_TOKEN?.trim() || null,
    lang,
    logLevel: logLevel(env.HOSPIAI_MCP_LOG_LEVEL, t),
    extraExtensionIds: extensionIds(env.HOSPIAI_MCP_EXTENSION_IDS, t),
    portalTimeoutMs: positiveInt('HOSPIAI_MCP_TIMEOUT_MS', env.HOSPIAI_MCP_TIMEOUT_MS, 10_000, t),
    confirmationTimeoutMs: positiveInt(
      'HOSPIAI_MCP_CONFIRM_TIMEOUT_MS',
      env.HOSPIAI_MCP_CONFIRM_TIMEOUT_MS,
      120_000,
      t,
    ),
    pairingCode: pairingCode(env.HOSPIAI_PAIRING_CODE),
  };
}

/**
 * Not checked here: a mistyped code in an install form must not stop the relay from starting;
 * it is refused (and logged as invalid_code) when offered to the extension.
 */
function pairingCode(value: string | undefined): string | null {
  return value?.trim() || null;
}

/** Sentences in English, for callers that have no patient language (tests, the cluster tool). */
const ENGLISH = translator('en');

/** HTTPS, or plain HTTP to this machine only: the token must never cross a network in clear. */
export function portalUrl(value: string | undefined, t: Translate = ENGLISH): string {
  const raw = value?.trim() || PRODUCTION_PORTAL_URL;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(
      t('CONFIG_URL_NOT_URL', { value: JSON.stringify(raw), example: PRODUCTION_PORTAL_URL }),
    );
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new ConfigError(t('CONFIG_URL_NOT_HTTPS', { origin: url.origin }));
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new ConfigError(t('CONFIG_URL_NOT_ORIGIN'));
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

function logLevel(value: string | undefined, t: Translate): LogLevel {
  if (!value) return 'info';
  if (value === 'debug' || value === 'info' || value === 'warn' || value === 'error') return value;
  throw new ConfigError(t('CONFIG_LOG_LEVEL', { value: JSON.stringify(value) }));
}

function extensionIds(value: string | undefined, t: Translate): string[] {
  if (!value) return [];
  const ids = value
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean);
  for (const id of ids) {
    if (!/^[a-p]{32}$/.test(id)) {
      throw new ConfigError(t('CONFIG_EXTENSION_ID', { id: JSON.stringify(id) }));
    }
  }
  return ids;
}

function positiveInt(
  name: string,
  value: string | undefined,
  fallback: number,
  t: Translate,
): number {
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0) {
    throw new ConfigError(t('CONFIG_POSITIVE_MS', { name, value: JSON.stringify(value) }));
  }
  return parsed;
}
