/**
 * `hospiai-mcp setup <client>`: adds the relay to an AI client's MCP configuration (merged, with
 * a backup, never clobbering other servers), or prints it with `--print`; `--list` shows the
 * clients and their configuration files. The configuration never holds a token.
 * (Over 250 lines: its arguments and its bilingual terminal sentences for each configuration
 * format.)
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { langFromEnv, type Translate, translator } from '../i18n/messages';
import { type Say, sayFor } from '../i18n/say';
import {
  CLIENTS,
  type ClientSpec,
  displayPath,
  getClient,
  isClientId,
  type LaunchOptions,
  OS_IDS,
  type OsId,
  type RelaySource,
  relayLaunch,
} from '../setup/clients';
import { hostOs, resolveConfigPath } from '../setup/config-path';
import { writeClientConfig } from '../setup/config-writer';
import { ConfigMergeError } from '../setup/merge-result';
import { detectRelaySource } from '../setup/relay-source';
import { renderAddCommand, renderSnippet } from '../setup/snippet';
import type { Command, CommandContext } from './command';

export { renderSnippet } from '../setup/snippet';

interface SetupArgs {
  list: boolean;
  print: boolean;
  force: boolean;
  client?: string;
  portal?: string;
  command?: string;
  configPath?: string;
  os?: string;
}

const VALUE_FLAGS = {
  '--portal': 'portal',
  '--command': 'command',
  '--config-path': 'configPath',
  '--os': 'os',
} as const;

function parseArgs(args: string[], t: Translate): SetupArgs | string {
  const parsed: SetupArgs = { list: false, print: false, force: false };
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] ?? '';
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=') ? splitOnce(arg, '=') : [arg, undefined];
    if (flag === '--list') parsed.list = true;
    else if (flag === '--print') parsed.print = true;
    else if (flag === '--force') parsed.force = true;
    else if (flag in VALUE_FLAGS) {
      const value = inline ?? args[++index];
      if (!value || value.startsWith('--')) return t('SETUP_NEEDS_VALUE', { flag });
      parsed[VALUE_FLAGS[flag as keyof typeof VALUE_FLAGS]] = value;
    } else if (flag.startsWith('-')) return t('SETUP_UNKNOWN_OPTION', { flag });
    else if (parsed.client) return t('SETUP_ONE_CLIENT', { first: parsed.client, second: flag });
    else parsed.client = flag;
  }
  return parsed;
}

function splitOnce(text: string, separator: string): [string, string] {
  const at = text.indexOf(separator);
  return [text.slice(0, at), text.slice(at + 1)];
}

/**
 * HOSPIAI_URL for a non-production portal: an http(s) origin and path, https unless it is on
 * this machine, and nothing that could carry a credential (user info, query, fragment).
 */
export function checkPortalUrl(value: string, t: Translate = translator('en')): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return t('SETUP_PORTAL_NOT_URL', { value });
  }
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    return t('SETUP_PORTAL_NOT_HTTPS');
  }
  if (url.username || url.password || url.search || url.hash) {
    return t('SETUP_PORTAL_NOT_ORIGIN');
  }
  return null;
}

export const setup: Command = async (context) => {
  const { args, out, err } = context;
  // Every sentence of setup follows the patient's language (HOSPIAI_MCP_LANG, then the locale).
  const t = translator(langFromEnv(context.env));
  const parsed = parseArgs(args, t);
  if (typeof parsed === 'string') {
    err(`${parsed}\n${t('SETUP_USAGE')}\n`);
    return 2;
  }
  const os = parsed.os ?? hostOs();
  if (!(OS_IDS as readonly string[]).includes(os)) {
    err(`${t('SETUP_BAD_OS', { list: OS_IDS.join(', ') })}\n`);
    return 2;
  }
  const targetOs = os as OsId;
  if (parsed.list) {
    out(listClients(targetOs, sayFor(context.env)));
    return 0;
  }
  if (!parsed.client || !isClientId(parsed.client)) {
    err(
      `${parsed.client ? t('SETUP_UNKNOWN_CLIENT', { client: parsed.client }) : t('SETUP_USAGE')}\n\n${listClients(targetOs, sayFor(context.env))}`,
    );
    return 2;
  }
  const client = getClient(parsed.client);

  let relay: RelaySource | null = context.relaySource ?? null;
  if (parsed.command) {
    const bundle = path.resolve(parsed.command);
    const isFile = await stat(bundle).then(
      (info) => info.isFile(),
      () => false,
    );
    if (!isFile) {
      err(`${t('SETUP_NO_BUNDLE', { bundle })}\n`);
      return 2;
    }
    relay = { kind: 'local', node: process.execPath, bundle };
  }
  relay ??= await detectRelaySource(process.argv[1]);
  if (!relay) {
    err(`${t('SETUP_NO_RELAY_SOURCE')}\n`);
    return 2;
  }
  const launchOptions: LaunchOptions = { os: targetOs, relay };
  if (parsed.portal) {
    const problem = checkPortalUrl(parsed.portal, t);
    if (problem) {
      err(`${problem}\n`);
      return 2;
    }
    launchOptions.portal = parsed.portal;
  }

  let file: string | null = parsed.configPath ? path.resolve(parsed.configPath) : null;
  if (!file) {
    try {
      file = resolveConfigPath(client, targetOs, context.env);
    } catch (error) {
      if (!parsed.print) {
        err(`${errorMessage(error)}\n`);
        return 2;
      }
    }
  }

  if (parsed.print) {
    out(printed(client, file ?? displayPath(client, targetOs), launchOptions));
    return 0;
  }
  return write(context, client, file ?? '', launchOptions, parsed.force);
};

async function write(
  { out, err, env }: CommandContext,
  client: ClientSpec,
  file: string,
  launchOptions: LaunchOptions,
  force: boolean,
): Promise<number> {
  const say = sayFor(env);
  let outcome: Awaited<ReturnType<typeof writeClientConfig>>;
  try {
    outcome = await writeClientConfig(client, file, relayLaunch(client, launchOptions), { force });
  } catch (error) {
    if (!(error instanceof ConfigMergeError)) throw error;
    err(
      `${say(
        `Could not add HospiAI to ${file}: ${error.message}.\nNothing was changed. Add this to the file by hand (see ${client.docs}):`,
        `Impossible d’ajouter HospiAI à ${file} : ${error.message}.\nRien n’a été modifié. Ajoutez ceci au fichier à la main (voir ${client.docs}) :`,
      )}\n\n${renderSnippet(client.id, launchOptions)}`,
    );
    return 1;
  }

  if (outcome.status === 'conflict') {
    const found = indent(outcome.found ?? '');
    const wanted = indent(renderSnippet(client.id, launchOptions).trimEnd());
    err(
      say(
        `${outcome.path} already has a different HospiAI entry; nothing was changed.\n` +
          `Found:\n${found}\nThis setup would write:\n${wanted}\n` +
          'Keep yours, or run the same command again with --force to replace it (a backup is kept).\n',
        `${outcome.path} contient déjà une autre entrée HospiAI ; rien n’a été modifié.\n` +
          `Trouvé :\n${found}\nCette configuration écrirait :\n${wanted}\n` +
          'Gardez la vôtre, ou relancez la même commande avec --force pour la remplacer (une copie de sauvegarde est gardée).\n',
      ),
    );
    return 1;
  }
  const lines: string[] = [];
  if (outcome.status === 'unchanged') {
    lines.push(
      say(
        `${outcome.path} already starts the HospiAI relay; nothing changed.`,
        `${outcome.path} lance déjà le relais HospiAI ; rien n’a changé.`,
      ),
    );
  } else if (outcome.status === 'created') {
    lines.push(
      say(
        `Created ${outcome.path} with the HospiAI server.`,
        `${outcome.path} créé avec le serveur HospiAI.`,
      ),
    );
  } else {
    lines.push(
      outcome.found
        ? say(
            `Replaced the previous HospiAI entry in ${outcome.path} (--force). It was:\n${indent(outcome.found)}`,
            `Entrée HospiAI précédente remplacée dans ${outcome.path} (--force). C’était :\n${indent(outcome.found)}`,
          )
        : say(
            `Added the HospiAI server to ${outcome.path}.`,
            `Serveur HospiAI ajouté à ${outcome.path}.`,
          ),
      say(
        `Backup of the previous file: ${outcome.backup}`,
        `Copie de sauvegarde du fichier précédent : ${outcome.backup}`,
      ),
    );
  }
  if (outcome.replacedHadToken) {
    const copy = outcome.backup ?? say('an earlier copy', 'une copie antérieure');
    lines.push(
      '',
      say(
        `Warning: the previous HospiAI entry held an API token. It is no longer in the configuration,\nbut ${copy} still holds it: delete that file, and revoke\nthe token on the Tokens API page of the HospiAI dashboard.`,
        `Attention : l’ancienne entrée HospiAI contenait un jeton d’API. Il n’est plus dans la configuration,\nmais ${copy} le contient encore : supprimez ce fichier, et révoquez\nle jeton sur la page Tokens API du tableau de bord HospiAI.`,
      ),
    );
  }
  const addCommand = renderAddCommand(client.id, launchOptions);
  if (addCommand) lines.push(say(`(Equivalent: ${addCommand})`, `(Équivalent : ${addCommand})`));
  lines.push(
    '',
    say(
      `Restart ${client.name} to load it. Then, once, show a code in the HospiAI extension’s window (“Connect your AI assistant”) and give it to ${client.name} — or run hospiai-mcp pair.`,
      `Redémarrez ${client.name} pour le charger. Puis, une seule fois, affichez un code dans la fenêtre de l’extension HospiAI (« Connecter votre assistant IA ») et donnez-le à ${client.name} — ou lancez hospiai-mcp pair.`,
    ),
  );
  out(`${lines.join('\n')}\n`);
  return 0;
}

function printed(client: ClientSpec, where: string, launchOptions: LaunchOptions): string {
  const snippet = renderSnippet(client.id, launchOptions);
  const addCommand = renderAddCommand(client.id, launchOptions);
  if (addCommand)
    return `# ${client.name}: run\n${addCommand}\n\n# or add to ${where}:\n${snippet}`;
  return `# ${client.name}: add to ${where}\n${snippet}`;
}

function listClients(os: OsId, say: Say): string {
  const width = Math.max(...CLIENTS.map((client) => client.id.length));
  const nameWidth = Math.max(...CLIENTS.map((client) => client.name.length));
  const rows = CLIENTS.map(
    (client) =>
      `  ${client.id.padEnd(width)}  ${client.name.padEnd(nameWidth)}  ${displayPath(client, os)}`,
  );
  return [
    say(
      `Supported AI assistants (configuration files on ${os}):`,
      `Assistants IA pris en charge (fichiers de configuration sous ${os}) :`,
    ),
    ...rows,
    '',
    say(
      'Run: hospiai-mcp setup <client>   (--print shows the configuration without writing it)',
      'Lancez : hospiai-mcp setup <client>   (--print affiche la configuration sans l’écrire)',
    ),
    '',
  ].join('\n');
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
