/**
 * `npm run cluster -- --replicas N --port P [-- <serve options>]`: N replicas of `hospiai-mcp serve --http` behind
 * Debian's nginx on 127.0.0.1:P, against HOSPIAI_URL. Prints the public URL; Ctrl-C or SIGTERM
 * stops nginx and every replica (replicas finish their in-flight calls first).
 */
import { ConfigError, portalUrl } from '../config';
import { CLUSTER_USAGE, type ClusterArgs, parseClusterArgs } from './cluster-args';
import { startCluster } from './cluster-runner';

async function main(): Promise<number> {
  let args: ClusterArgs | 'help';
  try {
    args = parseClusterArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n\n${CLUSTER_USAGE}`);
    return 2;
  }
  if (args === 'help') {
    process.stdout.write(CLUSTER_USAGE);
    return 0;
  }
  const { replicas, port, redis, replicaArgs } = args;
  // Listen first: a Ctrl-C during start-up still stops whatever has started.
  const stopRequested = new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  const cluster = await startCluster({
    replicas,
    port,
    portalUrl: portalUrl(process.env.HOSPIAI_URL),
    replicaArgs,
    redis,
  });
  process.stdout.write(
    `HospiAI MCP cluster: ${cluster.publicUrl}\n` +
      `  nginx (pid ${cluster.nginx.pid}) → ${cluster.replicas.map((r) => `${r.id} 127.0.0.1:${r.port}`).join(', ')}\n` +
      (cluster.redis ? `  sign-ins shared through Redis at ${cluster.redis.url}\n` : '') +
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
