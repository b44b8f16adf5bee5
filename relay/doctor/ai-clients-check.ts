/**
 * Link 7, AI clients: which AI assistants' configurations name HospiAI, whether the command
 * each names really starts (configured-command.ts), and no token left in clear in them.
 */
import { readFile } from 'node:fs/promises';
import { CLIENTS, type ClientSpec, SERVER_NAME } from '../setup/clients';
import { hostOs, resolveConfigPath } from '../setup/config-path';
import type { Finding } from './checks';
import {
  type ConfiguredCommand,
  configuredCommand,
  isUnpinnedPackage,
  type StartOutcome,
  startsAndAnswers,
} from './configured-command';
import type { Tell } from './doctor-text';

export async function checkAiClients(env: NodeJS.ProcessEnv, tell: Tell): Promise<Finding[]> {
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
    const launch = configuredCommand(client, text);
    const outcome =
      launch && !isUnpinnedPackage(launch) ? await startsAndAnswers(launch, env) : null;
    findings.push(describeCommand({ client, file, launch, outcome }, tell));
    if (/HOSPIAI_TOKEN/.test(text)) {
      findings.push({
        check: tell.check('aiClientConfig', { client: client.name }),
        status: 'warn',
        detail: tell('clientTokenInClear', { file }),
        fix: tell('clientTokenInClearFix', { clientId: client.id }),
      });
    }
  }
  const check = tell.check('aiClients');
  findings.unshift(
    configured.length > 0
      ? {
          check,
          status: 'ok',
          detail: tell('clientsConfigured', { clients: configured.join(', ') }),
        }
      : { check, status: 'warn', detail: tell('clientsNone'), fix: tell('clientsNoneFix') },
  );
  return findings;
}

export interface ConfiguredEntry {
  client: Pick<ClientSpec, 'id' | 'name'>;
  file: string;
  /** The command the entry names, or null when it names none. */
  launch: ConfiguredCommand | null;
  /** What starting it did; null when it was not started (none, or an unpinned package). */
  outcome: StartOutcome | null;
}

/** "Configured" means "starts": an unpinned package name is never started, always broken. */
export function describeCommand(
  { client, file, launch, outcome }: ConfiguredEntry,
  tell: Tell,
): Finding {
  const check = tell.check('aiClient', { client: client.name });
  const broken = (detail: string): Finding => ({
    check,
    status: 'broken',
    detail,
    fix: tell('commandFix', { clientId: client.id }),
  });
  if (!launch) return broken(tell('commandMissing', { file }));
  const command = [launch.command, ...launch.args].join(' ');
  if (isUnpinnedPackage(launch) || !outcome)
    return broken(tell('commandUnpinned', { file, command }));
  if (outcome.ok) {
    return {
      check,
      status: 'ok',
      detail: tell('commandStarts', { command, server: outcome.server }),
    };
  }
  return broken(tell('commandFails', { command, reason: sayStartFailure(outcome, tell) }));
}

function sayStartFailure(outcome: Extract<StartOutcome, { ok: false }>, tell: Tell): string {
  switch (outcome.reason) {
    case 'timeout':
      return tell('startTimedOut', { seconds: outcome.seconds });
    case 'exited':
      return tell('startExited', { code: String(outcome.code) });
    case 'error':
      return tell('startFailed', { message: outcome.message });
  }
}
