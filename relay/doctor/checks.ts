/**
 * The links of the chain, checked in order by `hospiai-mcp doctor`: configuration, home,
 * pairing, bridge ports, portal, token, AI clients. Each check returns findings with a fix;
 * none changes anything.
 */
import { readFile, stat } from 'node:fs/promises';
import { listPairings } from '../bridge/pairing-store';
import { liveRelayOn } from '../bridge/relay-registry';
import { loadConfig, type RelayConfig } from '../config';
import { ErrorCode, RelayError } from '../errors';
import { langFromEnv, translator } from '../i18n/messages';
import { formatDateTime, type Say, sayIn } from '../i18n/say';
import { silentLogger } from '../logger';
import { createHttpTransport } from '../portal/http-transport';
import { PortalClient } from '../portal/portal-client';
import { portalPath } from '../portal/portal-path';
import { ValidateResponse } from '../portal/portal-schemas';
import { fromBase64Url } from '../protocol/handshake-crypto';
import { portsOf } from '../protocol/protocol';
import { CLIENTS, type ClientSpec, SERVER_NAME } from '../setup/clients';
import { hostOs, resolveConfigPath } from '../setup/config-path';
import { configuredCommand, isUnpinnedPackage, startsAndAnswers } from './configured-command';
import { type PortFinding, probePort } from './relay-probe';

export type Status = 'ok' | 'warn' | 'broken' | 'skip';

export interface Finding {
  check: string;
  status: Status;
  detail: string;
  /** What to do, when status is warn or broken. */
  fix?: string;
}

export interface DoctorState {
  env: NodeJS.ProcessEnv;
  config?: RelayConfig;
  pairing?: { pairingId: string; key: Uint8Array } | null;
  relays?: Extract<PortFinding, { kind: 'relay' }>[];
  /** Ports where this user's own relay runs but cannot prove itself: it is not paired yet. */
  unpairedRelays?: number[];
}

/** The sentences of the report, in the patient's language. */
const sayOf = (state: DoctorState): Say => sayIn(langFromEnv(state.env));

/** How to pair, no terminal first (shared by every finding that needs a pairing). */
const pairFix = (say: Say) =>
  say(
    'Open the HospiAI extension’s window, choose “Show a code” under “Connect your AI assistant”, and give that code to your AI assistant (or run `hospiai-mcp pair` and type its code in the extension’s window).',
    'Ouvrez la fenêtre de l’extension HospiAI, choisissez « Afficher un code » sous « Connecter votre assistant IA », et donnez ce code à votre assistant IA (ou lancez `hospiai-mcp pair` et saisissez son code dans la fenêtre de l’extension).',
  );

export function checkConfig(state: DoctorState): Finding[] {
  const say = sayOf(state);
  try {
    state.config = loadConfig(state.env);
    const c = state.config;
    return [
      {
        check: 'configuration',
        status: 'ok',
        detail: say(
          `portal ${c.portalUrl}, bridge ports ${c.ports.first}-${c.ports.last}, home ${c.home}`,
          `portail ${c.portalUrl}, ports du pont ${c.ports.first}-${c.ports.last}, dossier ${c.home}`,
        ),
      },
    ];
  } catch (error) {
    return [
      {
        check: 'configuration',
        status: 'broken',
        detail: (error as Error).message,
        fix: say(
          'Correct the variable in your AI assistant’s config (`hospiai-mcp --help` lists them).',
          'Corrigez la variable dans la configuration de votre assistant IA (`hospiai-mcp --help` les liste).',
        ),
      },
    ];
  }
}

export async function checkHome(state: DoctorState): Promise<Finding[]> {
  const { config } = state;
  const say = sayOf(state);
  if (!config) return [];
  const info = await stat(config.home).catch(() => null);
  if (!info) {
    return [
      {
        check: 'config home',
        status: 'warn',
        detail: say(`${config.home} does not exist yet`, `${config.home} n’existe pas encore`),
        fix: say(
          'Start your AI assistant (it starts the relay, which creates it, private to you), or run `hospiai-mcp pair`.',
          'Démarrez votre assistant IA (il lance le relais, qui le crée, privé), ou lancez `hospiai-mcp pair`.',
        ),
      },
    ];
  }
  const unsafe =
    process.platform !== 'win32' && ((info.mode & 0o077) !== 0 || info.uid !== process.getuid?.());
  return unsafe
    ? [
        {
          check: 'config home',
          status: 'broken',
          detail: say(
            `${config.home} is readable or writable by others, or not yours`,
            `${config.home} est lisible ou modifiable par d’autres, ou ne vous appartient pas`,
          ),
          fix: say(
            `Run \`chmod 700 ${config.home}\` (and make sure you own it).`,
            `Lancez \`chmod 700 ${config.home}\` (et vérifiez qu’il vous appartient).`,
          ),
        },
      ]
    : [
        {
          check: 'config home',
          status: 'ok',
          detail: say(`${config.home} (private)`, `${config.home} (privé)`),
        },
      ];
}

export async function checkPairing(state: DoctorState): Promise<Finding[]> {
  if (!state.config) return [];
  const say = sayOf(state);
  try {
    const pairings = await listPairings(state.config.home);
    const first = pairings[0];
    state.pairing = first ? { pairingId: first.pairingId, key: fromBase64Url(first.key) } : null;
    if (!first) {
      return [
        {
          check: 'pairing',
          status: 'broken',
          detail: say(
            'no browser extension is paired yet (NOT_PAIRED)',
            'aucune extension de navigateur n’est encore appairée (NOT_PAIRED)',
          ),
          fix: pairFix(say),
        },
      ];
    }
    return [
      {
        check: 'pairing',
        status: 'ok',
        detail: say(
          `${pairings.length} extension pairing(s)`,
          `${pairings.length} appairage(s) d’extension`,
        ),
      },
    ];
  } catch (error) {
    return [
      {
        check: 'pairing',
        status: 'broken',
        detail: (error as Error).message,
        fix: say(
          'Run `hospiai-mcp unpair --all`, then pair again.',
          'Lancez `hospiai-mcp unpair --all`, puis appairez à nouveau.',
        ),
      },
    ];
  }
}

export async function checkBridgePorts(state: DoctorState): Promise<Finding[]> {
  const { config } = state;
  if (!config || config.ports.first === 0) return [];
  const say = sayOf(state);
  const ports = portsOf(config.ports);
  const findings = await Promise.all(
    ports.map((port) => probePort(port, { pairing: state.pairing ?? null })),
  );
  state.relays = findings.filter(
    (f): f is Extract<PortFinding, { kind: 'relay' }> => f.kind === 'relay',
  );
  const free = findings.filter((f) => f.kind === 'free').length;
  // A relay that cannot prove itself may still be this user's own, not paired yet: its record
  // in the private home, with its process alive, says so (relay-registry.ts).
  const own = new Set<number>();
  for (const f of findings) {
    if (f.kind !== 'free' && f.kind !== 'relay' && (await liveRelayOn(config.home, f.port))) {
      own.add(f.port);
    }
  }
  state.unpairedRelays = [...own];
  const result: Finding[] = findings
    .filter((f) => f.kind !== 'free')
    .map((f): Finding => {
      const check = `bridge port ${f.port}`;
      if (f.kind === 'relay') {
        const client =
          f.mcpClient ??
          say('an AI assistant that has not connected yet', 'un assistant IA pas encore connecté');
        const token = f.token?.state ?? say('unknown', 'inconnu');
        return {
          check,
          status: 'ok',
          detail: say(
            `your relay, serving ${client} (token: ${token})`,
            `votre relais, au service de ${client} (jeton : ${token})`,
          ),
        };
      }
      if (own.has(f.port)) {
        return {
          check,
          status: 'warn',
          detail: say(
            `your relay, not paired yet: it runs, but no extension is paired with it, so it cannot receive your access`,
            `votre relais, pas encore appairé : il tourne, mais aucune extension n’est appairée avec lui, il ne peut donc pas recevoir votre accès`,
          ),
          fix: pairFix(say),
        };
      }
      if (f.kind === 'unproven') {
        return {
          check,
          status: 'warn',
          detail: say(
            `a program on port ${f.port} is not your relay: it ${f.detail}`,
            `un programme sur le port ${f.port} n’est pas votre relais (${f.detail})`,
          ),
          fix: say(
            `Find it (\`lsof -i :${f.port}\` or \`ss -ltnp\`) and stop it if you do not know it; the extension will not talk to it.`,
            `Trouvez-le (\`lsof -i :${f.port}\` ou \`ss -ltnp\`) et arrêtez-le si vous ne le connaissez pas ; l’extension ne lui parlera pas.`,
          ),
        };
      }
      return {
        check,
        status: 'warn',
        detail: say(
          `in use by another program: it ${f.detail}`,
          `utilisé par un autre programme (${f.detail})`,
        ),
        fix: say(
          `If relays need that port, stop the program (\`lsof -i :${f.port}\`) or set HOSPIAI_MCP_PORTS to another range.`,
          `Si les relais ont besoin de ce port, arrêtez ce programme (\`lsof -i :${f.port}\`) ou réglez HOSPIAI_MCP_PORTS sur une autre plage.`,
        ),
      };
    });
  result.push(
    free > 0
      ? {
          check: 'bridge ports',
          status: 'ok',
          detail: say(
            `${free} of ${ports.length} free for new AI assistants`,
            `${free} sur ${ports.length} libres pour de nouveaux assistants IA`,
          ),
        }
      : {
          check: 'bridge ports',
          status: 'broken',
          detail: say(
            `every port of ${config.ports.first}-${config.ports.last} is taken`,
            `tous les ports de ${config.ports.first}-${config.ports.last} sont pris`,
          ),
          fix: say(
            'Close AI assistants you no longer use, or set HOSPIAI_MCP_PORTS to a free range.',
            'Fermez les assistants IA que vous n’utilisez plus, ou réglez HOSPIAI_MCP_PORTS sur une plage libre.',
          ),
        },
  );
  return result;
}

export async function checkPortal(state: DoctorState): Promise<Finding[]> {
  const { config } = state;
  if (!config) return [];
  const say = sayOf(state);
  const transport = createHttpTransport();
  try {
    const answer = await transport.send({
      method: 'GET',
      url: new URL(`${config.portalUrl}/.well-known/jwks.json`),
      headers: { accept: 'application/json' },
      timeoutMs: 5_000,
    });
    if (answer.status === 200)
      return [
        {
          check: 'portal',
          status: 'ok',
          detail: say(`${config.portalUrl} answers`, `${config.portalUrl} répond`),
        },
      ];
    return [
      {
        check: 'portal',
        status: 'broken',
        detail: say(
          `${config.portalUrl} answered HTTP ${answer.status}`,
          `${config.portalUrl} a répondu HTTP ${answer.status}`,
        ),
        fix: say(
          'Check HOSPIAI_URL: it must be the HospiAI portal’s address.',
          'Vérifiez HOSPIAI_URL : ce doit être l’adresse du portail HospiAI.',
        ),
      },
    ];
  } catch (error) {
    return [
      {
        check: 'portal',
        status: 'broken',
        detail: say(
          `cannot reach ${config.portalUrl} (“Connection refused”: ${(error as Error).message})`,
          `impossible de joindre ${config.portalUrl} (« Connection refused » : ${(error as Error).message})`,
        ),
        fix: say(
          'Check your internet connection and HOSPIAI_URL.',
          'Vérifiez votre connexion internet et HOSPIAI_URL.',
        ),
      },
    ];
  } finally {
    transport.close();
  }
}

export async function checkToken(state: DoctorState): Promise<Finding[]> {
  const { config } = state;
  if (!config) return [];
  const say = sayOf(state);
  if (config.environmentToken) return checkEnvironmentToken(config, say);
  const relays = state.relays ?? [];
  const unpaired = state.unpairedRelays ?? [];
  if (relays.length === 0 && unpaired.length > 0) {
    return [
      {
        check: 'token',
        status: 'skip',
        detail: say(
          'your relay is not paired yet: the extension delivers your access once it is',
          'votre relais n’est pas encore appairé : l’extension lui transmet votre accès dès qu’il l’est',
        ),
      },
    ];
  }
  if (relays.length === 0) {
    return [
      {
        check: 'token',
        status: 'skip',
        detail: say(
          'no relay is running: the token is delivered when your AI assistant starts one',
          'aucun relais ne tourne : le jeton est transmis quand votre assistant IA en démarre un',
        ),
      },
    ];
  }
  const active = relays.filter((r) => r.token?.state === 'active');
  if (active.length > 0) {
    return [
      {
        check: 'token',
        status: 'ok',
        detail: say(
          `the extension delivered a token to ${active.length} of ${relays.length} relay(s)`,
          `l’extension a transmis un jeton à ${active.length} relais sur ${relays.length}`,
        ),
      },
    ];
  }
  const states = [...new Set(relays.map((r) => r.token?.state ?? 'unknown'))].join(', ');
  return [
    {
      check: 'token',
      status: 'broken',
      detail: say(
        `no relay holds a usable token (${states}) — NO_TOKEN`,
        `aucun relais n’a de jeton utilisable (${states}) — NO_TOKEN`,
      ),
      fix: say(
        'Open the HospiAI dashboard in the browser with the extension, and accept its offer to connect.',
        'Ouvrez le tableau de bord HospiAI dans le navigateur qui a l’extension, et acceptez sa proposition de connexion.',
      ),
    },
  ];
}

async function checkEnvironmentToken(config: RelayConfig, say: Say): Promise<Finding[]> {
  const client = new PortalClient({
    baseUrl: config.portalUrl,
    t: translator(config.lang),
    logger: silentLogger,
    timeoutMs: 5_000,
    maxRetries: 0,
  });
  try {
    const validated = await client.call({
      method: 'POST',
      path: portalPath`/validate`,
      token: config.environmentToken ?? '',
      schema: ValidateResponse,
    });
    const findings: Finding[] = [
      {
        check: 'token (HOSPIAI_TOKEN)',
        status: 'ok',
        detail: say(
          `valid for ${validated.user.email}, scopes ${validated.scopes.join(' ')}, expires ${formatDateTime(validated.token.expiresAt, 'en')}`,
          `valide pour ${validated.user.email}, autorisations ${validated.scopes.join(' ')}, expire le ${formatDateTime(validated.token.expiresAt, 'fr')}`,
        ),
      },
    ];
    const missing = ['read:data', 'book:appointments'].filter((s) => !validated.scopes.includes(s));
    if (missing.length > 0) {
      findings.push({
        check: 'token scopes',
        status: 'warn',
        detail: say(
          `lacks ${missing.join(', ')}: those tools will answer “Insufficient permissions”`,
          `n’a pas ${missing.join(', ')} : ces outils répondront « Insufficient permissions » (permissions insuffisantes)`,
        ),
        fix: say(
          'Generate a token with these scopes in Dashboard → Tokens API, or let the extension provision one.',
          'Générez un jeton avec ces autorisations dans Tableau de bord → Tokens API, ou laissez l’extension en créer un.',
        ),
      });
    }
    return findings;
  } catch (error) {
    const code = error instanceof RelayError ? error.code : 'PORTAL_UNREACHABLE';
    const detail: Record<string, string> = {
      [ErrorCode.TOKEN_EXPIRED]: say('HOSPIAI_TOKEN has expired', 'HOSPIAI_TOKEN a expiré'),
      [ErrorCode.TOKEN_REVOKED]: say(
        'HOSPIAI_TOKEN was revoked in the dashboard',
        'HOSPIAI_TOKEN a été révoqué depuis le tableau de bord',
      ),
      [ErrorCode.TOKEN_INVALID]: say(
        'HOSPIAI_TOKEN is refused by the portal (“Token invalide”)',
        'HOSPIAI_TOKEN est refusé par le portail (« Token invalide »)',
      ),
    };
    return [
      {
        check: 'token (HOSPIAI_TOKEN)',
        status: 'broken',
        detail: `${detail[code] ?? (error as Error).message} — ${code}`,
        fix: say(
          'Generate a new token in Dashboard → Tokens API, or remove HOSPIAI_TOKEN and use the extension.',
          'Générez un nouveau jeton dans Tableau de bord → Tokens API, ou retirez HOSPIAI_TOKEN et utilisez l’extension.',
        ),
      },
    ];
  } finally {
    client.close();
  }
}

export async function checkClients(state: DoctorState): Promise<Finding[]> {
  const { env } = state;
  const say = sayOf(state);
  const os = hostOs();
  const configured: string[] = [];
  const findings: Finding[] = [];
  for (const client of CLIENTS) {
    let file: string;
    try {
      file = resolveConfigPath(client, os, env);
    } catch {
      continue;
    }
    const text = await readFile(file, 'utf8').catch(() => null);
    if (text === null || !text.includes(SERVER_NAME)) continue;
    configured.push(client.name);
    findings.push(await checkConfiguredCommand(client, text, file, env));
    if (/HOSPIAI_TOKEN/.test(text)) {
      findings.push({
        check: `AI client ${client.name} config`,
        status: 'warn',
        detail: say(
          `${file} holds a HOSPIAI_TOKEN in clear`,
          `${file} contient un HOSPIAI_TOKEN en clair`,
        ),
        fix: say(
          `Remove it and let the extension deliver the token: \`hospiai-mcp setup ${client.id}\` rewrites the entry.`,
          `Retirez-le et laissez l’extension transmettre le jeton : \`hospiai-mcp setup ${client.id}\` réécrit l’entrée.`,
        ),
      });
    }
  }
  findings.unshift(
    configured.length > 0
      ? {
          check: 'AI clients',
          status: 'ok',
          detail: say(
            `configured: ${configured.join(', ')}`,
            `configurés : ${configured.join(', ')}`,
          ),
        }
      : {
          check: 'AI clients',
          status: 'warn',
          detail: say(
            'no AI assistant’s config mentions hospiai',
            'aucune configuration d’assistant IA ne mentionne hospiai',
          ),
          fix: say(
            'Run `hospiai-mcp setup --list`, then `hospiai-mcp setup <client>`.',
            'Lancez `hospiai-mcp setup --list`, puis `hospiai-mcp setup <client>`.',
          ),
        },
  );
  return findings;
}

/** Starts the command the client's configuration names, as the client would. */
async function checkConfiguredCommand(
  client: ClientSpec,
  text: string,
  file: string,
  env: NodeJS.ProcessEnv,
): Promise<Finding> {
  const check = `AI client ${client.name}`;
  const fix = `Run \`hospiai-mcp setup ${client.id} --force\` with the relay you installed: it writes a command that starts.`;
  const launch = configuredCommand(client, text);
  if (!launch) {
    return {
      check,
      status: 'broken',
      detail: `${file} mentions hospiai but names no command`,
      fix,
    };
  }
  const shown = [launch.command, ...launch.args].join(' ');
  if (isUnpinnedPackage(launch)) {
    return {
      check,
      status: 'broken',
      detail: `${file} starts “${shown}”: a package name without an exact version, not started (whoever owns that name on the registry would run)`,
      fix,
    };
  }
  const outcome = await startsAndAnswers(launch, env);
  return outcome.ok
    ? {
        check,
        status: 'ok',
        detail: `“${shown}” starts and answers MCP initialize (${outcome.server})`,
      }
    : { check, status: 'broken', detail: `“${shown}” does not start: ${outcome.reason}`, fix };
}

/** In the order the chain is walked. */
export const CHECKS = [
  checkConfig,
  checkHome,
  checkPairing,
  checkBridgePorts,
  checkPortal,
  checkToken,
  checkClients,
];
