/**
 * `npm run cluster`'s command line: its own options, then, after `--`, `serve --http` options
 * passed to every replica. Those are checked here, before anything starts, with the relay's own
 * parser; the ones the cluster sets for each replica are refused with a sentence saying so.
 */
import { parseArgs } from 'node:util';
import { ConfigError } from '../config';
import { parseServeOptions } from '../remote/serve-options';

export const CLUSTER_USAGE = `Usage: npm run cluster -- [--replicas N] [--port P] [-- <serve options>]

  --replicas N   replicas of hospiai-mcp serve --http (default 2)
  --port P       nginx's port on 127.0.0.1, above 1024 (default 47800; 0 = any free port)
  --redis        the replicas share sign-ins through a Redis of their own (Debian's
                 redis-server): a replica that stops keeps no assistant from its access
  --help         show this help
  -- …           everything after a second -- goes to every replica's \`serve --http\`
                 (e.g. -- --rate-limit 60/2 --revocation-cache-ms 5000; see
                 \`hospiai-mcp serve --help\`)

The portal is HOSPIAI_URL (e.g. the sandbox: npm run sandbox, then
HOSPIAI_URL=http://127.0.0.1:47600 npm run cluster). nginx's config is rendered from
relay/cluster/nginx.conf.template into a temporary directory.
`;

/** Set by the cluster for each replica: the same for all would be wrong. */
const SET_BY_CLUSTER = ['--port', '--host', '--replica-id', '--public-url', '--allowed-hosts'];

export interface ClusterArgs {
  replicas: number;
  port: number;
  redis: boolean;
  replicaArgs: string[];
}

export function parseClusterArgs(argv: string[]): ClusterArgs | 'help' {
  const split = argv.indexOf('--');
  const own = split === -1 ? argv : argv.slice(0, split);
  const replicaArgs = split === -1 ? [] : argv.slice(split + 1);
  let values: { replicas?: string; port?: string; redis?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: own,
      options: {
        replicas: { type: 'string' },
        port: { type: 'string' },
        redis: { type: 'boolean' },
        help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    throw new ConfigError(
      `${(error as Error).message} (serve options go after a second --: npm run cluster -- --replicas 2 -- --rate-limit 60/2)`,
    );
  }
  if (values.help) return 'help';
  const replicas = Number(values.replicas ?? 2);
  const port = Number(values.port ?? 47_800);
  if (!Number.isInteger(replicas) || replicas < 1 || replicas > 32)
    throw new ConfigError('--replicas expects 1 to 32.');
  if (!Number.isInteger(port) || (port !== 0 && (port <= 1024 || port > 65_535)))
    throw new ConfigError('--port expects a port above 1024 (nginx runs as you, not root), or 0.');
  const taken = replicaArgs.find((arg) => SET_BY_CLUSTER.includes(arg.split('=')[0] ?? ''));
  if (taken)
    throw new ConfigError(
      `${taken.split('=')[0]} is set by the cluster for each replica; leave it out of the serve options.`,
    );
  if (replicaArgs.includes('--help') || replicaArgs.includes('-h'))
    throw new ConfigError('for the serve options, see: node dist/hospiai-mcp.mjs serve --help');
  // The replicas' own parser, on the replicas' arguments: a typo stops here, not in N replicas.
  if (replicaArgs.some((arg) => arg.split('=')[0] === '--state-store'))
    throw new ConfigError(
      'the cluster gives its replicas a shared store itself: use --redis (before the second --), not --state-store.',
    );
  parseServeOptions(['--http', ...replicaArgs], {});
  return { replicas, port, redis: values.redis === true, replicaArgs };
}
