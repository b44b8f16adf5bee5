/**
 * `hospiai-mcp serve --http`: remote multi-user mode (relay/remote/). Runs until SIGTERM/SIGINT,
 * then lets in-flight calls finish before it exits.
 */
import { setFlagsFromString } from 'node:v8';
import { ConfigError, loadConfig } from '../config';
import { langFromEnv } from '../i18n/messages';
import { startRemoteServer } from '../remote/http-server';
import { parseServeOptions, SERVE_USAGE } from '../remote/serve-options';
import {
  modernDirectReads,
  modernRequestServers,
  remoteSessionServers,
} from '../tools/remote-session-server';
import { TOOL_SCOPES } from '../tools/tool-server';
import type { Command } from './command';

export const serve: Command = async ({ args, env, out, err, logger }) => {
  // Many patients at once: the young generation may grow again (V8's default; the launcher keeps
  // it small for the stdio relay, relay/launcher.mjs).
  setFlagsFromString('--semi-space-growth-factor=2');
  let options: ReturnType<typeof parseServeOptions>;
  let config: ReturnType<typeof loadConfig>;
  try {
    options = parseServeOptions(args, env);
    config = loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    err(`hospiai-mcp serve: ${error.message}\n\n${SERVE_USAGE}`);
    return 2;
  }
  if (options === 'help') {
    out(SERVE_USAGE);
    return 0;
  }
  const server = await startRemoteServer({
    ...options,
    portalTimeoutMs: config.portalTimeoutMs,
    lang: langFromEnv(env),
    logger: logger.child(`remote:${options.replicaId}`),
    sessionServer: remoteSessionServers({ confirmationTimeoutMs: config.confirmationTimeoutMs }),
    modernServer: modernRequestServers({ confirmationTimeoutMs: config.confirmationTimeoutMs }),
    directReads: modernDirectReads({ confirmationTimeoutMs: config.confirmationTimeoutMs }),
    toolScopes: TOOL_SCOPES,
  });
  out(
    `hospiai-mcp serve: listening on ${server.localUrl}, MCP endpoint ${server.publicUrl.href} (replica ${options.replicaId}, portal ${options.portalUrl})`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  logger.info('stopping: letting in-flight calls finish');
  await server.close();
  return 0;
};
