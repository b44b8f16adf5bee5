/**
 * `npm run cluster -- --replicas N --port P`: N replicas of `hospiai-mcp serve --http` behind
 * Debian's nginx on 127.0.0.1:P, against HOSPIAI_URL. Prints the public URL; Ctrl-C or SIGTERM
 * stops nginx and every replica (replicas finish their in-flight calls first).
 */
import { parseArgs } from 'node:util';
import { portalUrl } from '../config';
import { startCluster } from './cluster-runner';

const USAGE = `Usage: npm run cluster -- [--replicas N] [--port P]

  --replicas N   replicas of hospiai-mcp serve --http (default 2)
  --port P       nginx's port on 127.0.0.1, above 1024 (default 47800; 0 = any free port)
  --help         show this help

The portal is HOSPIAI_URL (e.g. the sandbox: npm run sandbox, then
HOSPIAI_URL=http://127.0.0.1:47600 npm run cluster). nginx's config is rendered from
relay/cluster/nginx.conf.template into a temporary directory.
`;

async function main(): Promise<number> {
  let values: { replicas?: string; port?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: {
        replicas: { type: 'string' },
        port: { type: 'string' },
        help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const replicas = Number(values.replicas ?? 2);
  const port = Number(values.port ?? 47_800);
  if (!Number.isInteger(replicas) || replicas < 1 || replicas > 32) {
    process.stderr.write(`--replicas expects 1 to 32.\n\n${USAGE}`);
    return 2;
  }
  if (!Number.isInteger(port) || (port !== 0 && (port <= 1024 || port > 65_535))) {
    process.stderr.write(
      `--port expects a port above 1024 (nginx runs as you, not root), or 0.\n\n${USAGE}`,
    );
    return 2;
  }
  // Listen first: a Ctrl-C during start-up still stops whatever has started.
  const stopRequested = new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  const cluster = await startCluster({
    replicas,
    port,
    portalUrl: portalUrl(process.env.HOSPIAI_URL),
  });
  process.stdout.write(
    `HospiAI MCP cluster: ${cluster.publicUrl}\n` +
      `  nginx (pid ${cluster.nginx.pid}) → ${cluster.replicas.map((r) => `${r.id} 127.0.0.1:${r.port}`).join(', ')}\n` +
      `  config: ${cluster.prefix}/nginx.conf — Ctrl-C stops everything.\n`,
  );
  for (const replica of cluster.replicas) {
    replica.exited.then((code) => process.stderr.write(`replica ${replica.id} exited (${code})\n`));
  }
  await stopRequested;
  process.stdout.write('Stopping nginx and the replicas…\n');
  await cluster.stop();
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `cluster failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  },
);
