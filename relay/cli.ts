/**
 * `hospiai-mcp` — the relay's command line. Only wiring: each command lives in relay/commands/.
 */

import { InvalidPortRangeError } from './bridge/port-range';
import type { Command, CommandContext } from './commands/command';
import { ConfigError, configHelp, loadConfig, type RelayConfig } from './config';
import { resolveHome, UnsafeHomeError } from './home';
import { type Say, sayFor } from './i18n/say';
import { createLogger } from './logger';
import { RELAY_VERSION } from './version';

// Commands load on demand: `--help` or `pair` need not parse the MCP SDK.
const COMMANDS: Record<string, { load: () => Promise<Command>; summary: (say: Say) => string }> = {
  pair: {
    load: () => import('./commands/pair').then((m) => m.pair),
    summary: (say) =>
      say(
        'print a one-time code to type into the HospiAI extension’s window (terminal pairing)',
        'affiche un code à usage unique à saisir dans la fenêtre de l’extension HospiAI (appairage par terminal)',
      ),
  },
  setup: {
    load: () => import('./commands/setup').then((m) => m.setup),
    summary: (say) =>
      say(
        'add HospiAI to an AI assistant’s MCP config (setup --list)',
        'ajoute HospiAI à la configuration MCP d’un assistant IA (setup --list)',
      ),
  },
  doctor: {
    load: () => import('./commands/doctor').then((m) => m.doctor),
    summary: (say) =>
      say(
        'check each link of the chain and print the first broken one',
        'vérifie chaque maillon de la chaîne et affiche le premier cassé',
      ),
  },
  audit: {
    load: () => import('./commands/audit').then((m) => m.audit),
    summary: (say) =>
      say(
        'print the log of tool calls and verify its hash chain',
        'affiche le journal des appels d’outils et vérifie sa chaîne de hachage',
      ),
  },
  unpair: {
    load: () => import('./commands/unpair').then((m) => m.unpair),
    summary: (say) =>
      say(
        'forget a paired extension (unpair <pairingId> | --all)',
        'oublie une extension appairée (unpair <pairingId> | --all)',
      ),
  },
  serve: {
    load: () => import('./commands/serve').then((m) => m.serve),
    summary: (say) =>
      say(
        'remote multi-user mode: serve --http (serve --help)',
        'mode distant multi-patients : serve --http (serve --help)',
      ),
  },
};

function help(say: Say): string {
  return `hospiai-mcp ${RELAY_VERSION} — ${say('HospiAI for your AI assistant (MCP server)', 'HospiAI pour votre assistant IA (serveur MCP)')}

${say('Usage:', 'Usage :')}
  hospiai-mcp                 ${say('run the MCP server on stdio (what AI assistants start)', 'lance le serveur MCP sur stdio (ce que lancent les assistants IA)')}
${Object.entries(COMMANDS)
  .map(([name, { summary }]) => `  hospiai-mcp ${name.padEnd(15)} ${summary(say)}`)
  .join('\n')}
  hospiai-mcp --help | --version

${configHelp(say)}
`;
}

async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  const say = sayFor(process.env);
  if (first === '--help' || first === '-h' || first === 'help') {
    process.stdout.write(help(say));
    return 0;
  }
  if (first === '--version' || first === '-v') {
    process.stdout.write(`${RELAY_VERSION}\n`);
    return 0;
  }

  const env = process.env;
  let config: RelayConfig;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError || error instanceof InvalidPortRangeError)) throw error;
    process.stderr.write(`hospiai-mcp: ${error.message}\n`);
    return 2;
  }
  const logger = createLogger({ level: config.logLevel });

  if (first === undefined) {
    const { runStdioRelay } = await import('./stdio-relay');
    await runStdioRelay(config, logger);
    return -1; // keeps running until stdin closes
  }
  const command = COMMANDS[first];
  if (!command) {
    process.stderr.write(
      `hospiai-mcp: ${say(`unknown command “${first}”.`, `commande inconnue « ${first} ».`)}\n\n${help(say)}`,
    );
    return 2;
  }
  const context: CommandContext = {
    args: rest,
    env,
    home: resolveHome(env),
    out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
    logger,
  };
  let run: Command;
  try {
    run = await command.load();
  } catch (error) {
    // Only a command's own bundle missing (dist/serve.cjs); any other missing module is a bug.
    const missing = error as { code?: unknown; message?: unknown };
    if (missing.code !== 'MODULE_NOT_FOUND' || !String(missing.message).includes(`${first}.cjs`))
      throw error;
    // The Claude Desktop bundle (.mcpb) carries the stdio relay, not the remote mode's bundle.
    process.stderr.write(
      `hospiai-mcp: ${say(
        `“${first}” is not part of this install (the Claude Desktop bundle runs the stdio relay only). Install the npm package: npx hospiai-mcp ${first}`,
        `« ${first} » ne fait pas partie de cette installation (le paquet Claude Desktop ne lance que le relais stdio). Installez le paquet npm : npx hospiai-mcp ${first}`,
      )}\n`,
    );
    return 2;
  }
  return run(context);
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UnsafeHomeError) {
      // Already a sentence in the patient's language, saying what to fix.
      process.stderr.write(`hospiai-mcp: ${error.message}\n`);
      process.exitCode = 2;
      return;
    }
    // One redacted line, no stack: a stack can carry a request's data.
    createLogger().error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  },
);
