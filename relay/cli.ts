/**
 * `hospiai-mcp` — the relay's command line. Only wiring: each command lives in relay/commands/.
 */

import { InvalidPortRangeError } from './bridge/port-range';
import type { Command, CommandContext } from './commands/command';
import { CONFIG_HELP, ConfigError, loadConfig, type RelayConfig } from './config';
import { resolveHome } from './home';
import { createLogger } from './logger';
import { RELAY_VERSION } from './version';

// Commands load on demand: `--help` or `pair` need not parse the MCP SDK.
const COMMANDS: Record<string, { load: () => Promise<Command>; summary: string }> = {
  pair: {
    load: () => import('./commands/pair').then((m) => m.pair),
    summary: 'print a one-time code to pair the HospiAI browser extension',
  },
  setup: {
    load: () => import('./commands/setup').then((m) => m.setup),
    summary: 'add HospiAI to an AI client’s MCP config (setup --list)',
  },
  doctor: {
    load: () => import('./commands/doctor').then((m) => m.doctor),
    summary: 'check each link of the chain and print the first broken one',
  },
  audit: {
    load: () => import('./commands/audit').then((m) => m.audit),
    summary: 'print the log of tool calls and verify its hash chain',
  },
  unpair: {
    load: () => import('./commands/unpair').then((m) => m.unpair),
    summary: 'forget a paired extension (unpair <pairingId> | --all)',
  },
  serve: {
    load: () => import('./commands/serve').then((m) => m.serve),
    summary: 'remote multi-user mode: serve --http (serve --help)',
  },
};

const HELP = `hospiai-mcp ${RELAY_VERSION} — HospiAI for your AI assistant (MCP server)

Usage:
  hospiai-mcp                 run the MCP server on stdio (what AI clients start)
${Object.entries(COMMANDS)
  .map(([name, { summary }]) => `  hospiai-mcp ${name.padEnd(15)} ${summary}`)
  .join('\n')}
  hospiai-mcp --help | --version

${CONFIG_HELP}
`;

async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === '--help' || first === '-h' || first === 'help') {
    process.stdout.write(HELP);
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
    process.stderr.write(`hospiai-mcp: unknown command “${first}”.\n\n${HELP}`);
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
  return (await command.load())(context);
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (error: unknown) => {
    // One redacted line, no stack: a stack can carry a request's data.
    createLogger().error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  },
);
