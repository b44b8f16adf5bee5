import type { Logger } from '../logger';
import type { RelaySource } from '../setup/clients';

/** What every `hospiai-mcp <command>` receives: no globals, so tests run commands in-process. */
export interface CommandContext {
  /** Arguments after the command name. */
  args: string[];
  env: NodeJS.ProcessEnv;
  /** Resolved relay home (HOSPIAI_MCP_HOME or the OS's per-user config dir). */
  home: string;
  /** Human output of CLI commands (never used by the stdio MCP server). */
  out: (text: string) => void;
  err: (text: string) => void;
  logger: Logger;
  /** How this relay is started (tests); by default `setup` finds out from process.argv[1]. */
  relaySource?: RelaySource;
}

/** Resolves to the process exit code. */
export type Command = (context: CommandContext) => Promise<number>;
