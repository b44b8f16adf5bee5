/**
 * The links of the chain, checked in order by `hospiai-mcp doctor`: configuration, home,
 * pairing, bridge ports, portal, token, AI clients. Each check returns findings with a fix;
 * none changes anything.
 */
import { readFile, stat } from 'node:fs/promises';
import { listPairings } from '../bridge/pairing-store';
import { loadConfig, type RelayConfig } from '../config';
import { ErrorCode, RelayError } from '../errors';
import { translator } from '../i18n/messages';
import { silentLogger } from '../logger';
import { createHttpTransport } from '../portal/http-transport';
import { PortalClient } from '../portal/portal-client';
import { portalPath } from '../portal/portal-path';
import { ValidateResponse } from '../portal/portal-schemas';
import { fromBase64Url } from '../protocol/handshake-crypto';
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
}

export function checkConfig(state: DoctorState): Finding[] {
  try {
    state.config = loadConfig(state.env);
    const c = state.config;
    return [
      {
        check: 'configuration',
        status: 'ok',
        detail: `portal ${c.portalUrl}, bridge ports ${c.ports.first}-${c.ports.last}, home ${c.home}`,
      },
    ];
  } catch (error) {
    return [
      {
        check: 'configuration',
        status: 'broken',
        detail: (error as Error).message,
        fix: 'Correct the variable in your AI client’s config (`hospiai-mcp --help` lists them).',
      },
    ];
  }
}

export async function checkHome({ config }: DoctorState): Promise<Finding[]> {
  if (!config) return [];
  const info = await stat(config.home).catch(() => null);
  if (!info) {
    return [
      {
        check: 'config home',
        status: 'warn',
        detail: `${config.home} does not exist yet`,
        fix: 'Run `hospiai-mcp pair`: it creates it (private to you).',
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
          detail: `${config.home} is readable or writable by others, or not yours`,
          fix: `Run \`chmod 700 ${config.home}\` (and make sure you own it).`,
        },
      ]
    : [{ check: 'config home', status: 'ok', detail: `${config.home} (private)` }];
}

export async function checkPairing(state: DoctorState): Promise<Finding[]> {
  if (!state.config) return [];
  try {
    const pairings = await listPairings(state.config.home);
    const first = pairings[0];
    state.pairing = first ? { pairingId: first.pairingId, key: fromBase64Url(first.key) } : null;
    if (!first) {
      return [
        {
          check: 'pairing',
          status: 'broken',
          detail: 'no browser extension is paired (NOT_PAIRED)',
          fix: 'Run `hospiai-mcp pair` and type the code in the HospiAI extension’s popup.',
        },
      ];
    }
    return [{ check: 'pairing', status: 'ok', detail: `${pairings.length} extension pairing(s)` }];
  } catch (error) {
    return [
      {
        check: 'pairing',
        status: 'broken',
        detail: (error as Error).message,
        fix: 'Run `hospiai-mcp unpair --all`, then `hospiai-mcp pair`.',
      },
    ];
  }
}

export async function checkBridgePorts(state: DoctorState): Promise<Finding[]> {
  const { config } = state;
  if (!config || config.ports.first === 0) return [];
  const ports = Array.from(
    { length: config.ports.last - config.ports.first + 1 },
    (_, i) => config.ports.first + i,
  );
  const findings = await Promise.all(
    ports.map((port) => probePort(port, { pairing: state.pairing ?? null })),
  );
  state.relays = findings.filter(
    (f): f is Extract<PortFinding, { kind: 'relay' }> => f.kind === 'relay',
  );
  const free = findings.filter((f) => f.kind === 'free').length;
  const result: Finding[] = findings
    .filter((f) => f.kind !== 'free')
    .map((f): Finding => {
      if (f.kind === 'relay') {
        return {
          check: `bridge port ${f.port}`,
          status: 'ok',
          detail: `your relay, serving ${f.mcpClient ?? 'an AI client that has not connected yet'} (token: ${f.token?.state ?? 'unknown'})`,
        };
      }
      if (f.kind === 'unproven') {
        return {
          check: `bridge port ${f.port}`,
          status: 'warn',
          detail: `a program on port ${f.port} is not your relay: it ${f.detail}`,
          fix: `Find it (\`lsof -i :${f.port}\` or \`ss -ltnp\`) and stop it if you do not know it; the extension will not talk to it.`,
        };
      }
      return {
        check: `bridge port ${f.port}`,
        status: 'warn',
        detail: `in use by another program: it ${f.detail}`,
        fix: `If relays need that port, stop the program (\`lsof -i :${f.port}\`) or set HOSPIAI_MCP_PORTS to another range.`,
      };
    });
  result.push(
    free > 0
      ? {
          check: 'bridge ports',
          status: 'ok',
          detail: `${free} of ${ports.length} free for new AI clients`,
        }
      : {
          check: 'bridge ports',
          status: 'broken',
          detail: `every port of ${config.ports.first}-${config.ports.last} is taken`,
          fix: 'Close AI clients you no longer use, or set HOSPIAI_MCP_PORTS to a free range.',
        },
  );
  return result;
}

export async function checkPortal({ config }: DoctorState): Promise<Finding[]> {
  if (!config) return [];
  const transport = createHttpTransport();
  try {
    const answer = await transport.send({
      method: 'GET',
      url: new URL(`${config.portalUrl}/.well-known/jwks.json`),
      headers: { accept: 'application/json' },
      timeoutMs: 5_000,
    });
    if (answer.status === 200)
      return [{ check: 'portal', status: 'ok', detail: `${config.portalUrl} answers` }];
    return [
      {
        check: 'portal',
        status: 'broken',
        detail: `${config.portalUrl} answered HTTP ${answer.status}`,
        fix: 'Check HOSPIAI_URL: it must be the HospiAI portal’s address.',
      },
    ];
  } catch (error) {
    return [
      {
        check: 'portal',
        status: 'broken',
        detail: `cannot reach ${config.portalUrl} (“Connection refused”: ${(error as Error).message})`,
        fix: 'Check your internet connection and HOSPIAI_URL.',
      },
    ];
  } finally {
    transport.close();
  }
}

export async function checkToken(state: DoctorState): Promise<Finding[]> {
  const { config } = state;
  if (!config) return [];
  if (config.environmentToken) return checkEnvironmentToken(config);
  const relays = state.relays ?? [];
  if (relays.length === 0) {
    return [
      {
        check: 'token',
        status: 'skip',
        detail: 'no relay is running: the token is delivered when your AI client starts one',
      },
    ];
  }
  const active = relays.filter((r) => r.token?.state === 'active');
  if (active.length > 0) {
    return [
      {
        check: 'token',
        status: 'ok',
        detail: `the extension delivered a token to ${active.length} of ${relays.length} relay(s)`,
      },
    ];
  }
  const states = [...new Set(relays.map((r) => r.token?.state ?? 'unknown'))].join(', ');
  return [
    {
      check: 'token',
      status: 'broken',
      detail: `no relay holds a usable token (${states}) — NO_TOKEN`,
      fix: 'Open the HospiAI dashboard in the browser with the extension, and accept its offer to connect.',
    },
  ];
}

async function checkEnvironmentToken(config: RelayConfig): Promise<Finding[]> {
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
        detail: `valid for ${validated.user.email}, scopes ${validated.scopes.join(' ')}, expires ${validated.token.expiresAt}`,
      },
    ];
    const missing = ['read:data', 'book:appointments'].filter((s) => !validated.scopes.includes(s));
    if (missing.length > 0) {
      findings.push({
        check: 'token scopes',
        status: 'warn',
        detail: `lacks ${missing.join(', ')}: those tools will answer “Insufficient permissions”`,
        fix: 'Generate a token with these scopes in Dashboard → Tokens API, or let the extension provision one.',
      });
    }
    return findings;
  } catch (error) {
    const code = error instanceof RelayError ? error.code : 'PORTAL_UNREACHABLE';
    const detail: Record<string, string> = {
      [ErrorCode.TOKEN_EXPIRED]: 'HOSPIAI_TOKEN has expired',
      [ErrorCode.TOKEN_REVOKED]: 'HOSPIAI_TOKEN was revoked in the dashboard',
      [ErrorCode.TOKEN_INVALID]: 'HOSPIAI_TOKEN is refused by the portal (“Token invalide”)',
    };
    return [
      {
        check: 'token (HOSPIAI_TOKEN)',
        status: 'broken',
        detail: `${detail[code] ?? (error as Error).message} — ${code}`,
        fix: 'Generate a new token in Dashboard → Tokens API, or remove HOSPIAI_TOKEN and use the extension.',
      },
    ];
  } finally {
    client.close();
  }
}

export async function checkClients({ env }: DoctorState): Promise<Finding[]> {
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
        detail: `${file} holds a HOSPIAI_TOKEN in clear`,
        fix: `Remove it and let the extension deliver the token: \`hospiai-mcp setup ${client.id}\` rewrites the entry.`,
      });
    }
  }
  findings.unshift(
    configured.length > 0
      ? { check: 'AI clients', status: 'ok', detail: `configured: ${configured.join(', ')}` }
      : {
          check: 'AI clients',
          status: 'warn',
          detail: 'no AI client config mentions hospiai',
          fix: 'Run `hospiai-mcp setup --list`, then `hospiai-mcp setup <client>`.',
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
