/**
 * Renders nginx.conf.template (beside this file) for a set of replicas: one upstream per replica
 * (its own server first, the others as backups), a map from the replica id in Mcp-Session-Id
 * to that upstream, and a pool of all replicas for new sessions.
 */
import { readFileSync } from 'node:fs';

export interface ReplicaAddress {
  id: string;
  host: string;
  port: number;
}

export interface NginxConfigOptions {
  prefix: string;
  listen: string;
  replicas: ReplicaAddress[];
  maxBody?: string;
  /** Requests in progress at once from one client address (default 256). */
  connPerAddress?: number;
  workers?: number | 'auto';
  /** `daemon off;` for a supervised foreground nginx (the cluster script). */
  foreground?: boolean;
  /**
   * The replicas share their sign-ins (`serve --state-store`): signed-in assistants' new
   * sessions go to any replica, not only to the first.
   */
  sharedSignIns?: boolean;
}

export const NGINX_TEMPLATE = new URL('./nginx.conf.template', import.meta.url);

export function renderNginxConfig(options: NginxConfigOptions): string {
  const { replicas } = options;
  if (replicas.length === 0) throw new Error('at least one replica is needed');
  const server = (r: ReplicaAddress, backup: boolean) =>
    `        server ${r.host}:${r.port}${backup ? ' backup' : ' max_fails=1 fail_timeout=5s'};`;
  const upstreams = replicas
    .map((replica) =>
      [
        `    upstream hospiai_${upstreamName(replica.id)} {`,
        server(replica, false),
        ...replicas.filter((r) => r !== replica).map((r) => server(r, true)),
        // Idle connections kept open to the replica, above the calls its sessions make at once:
        // a busy patient population must not open and close a TCP connection per request.
        '        keepalive 128;',
        '    }',
      ].join('\n'),
    )
    .join('\n\n');
  const map = replicas
    .map(
      (r) => `        "~^${r.id.replace(/[^A-Za-z0-9-]/g, '')}\\." hospiai_${upstreamName(r.id)};`,
    )
    .join('\n');
  const all = replicas.map((r) => server(r, false)).join('\n');
  const values: Record<string, string> = {
    PREFIX: options.prefix,
    LISTEN: options.listen,
    UPSTREAMS: upstreams,
    SESSION_MAP: map,
    ALL_REPLICAS: all,
    SIGN_IN_UPSTREAM: `hospiai_${upstreamName((replicas[0] as ReplicaAddress).id)}`,
    SIGNED_IN_NEW_SESSION: options.sharedSignIns
      ? '        # (sign-ins shared: no line)'
      : `        "~^Bearer hao_" hospiai_${upstreamName((replicas[0] as ReplicaAddress).id)};`,
    MAX_BODY: options.maxBody ?? '256k',
    CONN_PER_ADDRESS: String(options.connPerAddress ?? 256),
    WORKERS: String(options.workers ?? 'auto'),
    DAEMON: options.foreground ? 'daemon off;' : '',
  };
  const template = readFileSync(NGINX_TEMPLATE, 'utf8');
  // Only the directives: the template's comment header documents the placeholders.
  const body = template.slice(template.indexOf('worker_processes'));
  return body.replace(/\{\{([A-Z_]+)\}\}/g, (_m, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`unknown placeholder {{${key}}}`);
    return value;
  });
}

const upstreamName = (id: string) => id.replace(/[^A-Za-z0-9]/g, '_');
