import { describe, expect, it } from 'vitest';
import { parseClusterArgs } from '../../../relay/cluster/cluster-args';
import { renderNginxConfig } from '../../../relay/cluster/nginx-config';
import { ConfigError } from '../../../relay/config';
import { createPatientRateLimiter } from '../../../relay/remote/patient-rate-limiter';
import {
  insufficientScopeChallenge,
  metadataPaths,
  protectedResourceMetadata,
  unauthorizedChallenge,
} from '../../../relay/remote/protected-resource';
import { createRequestGuard, hostsOf } from '../../../relay/remote/request-guard';
import { parseServeOptions } from '../../../relay/remote/serve-options';

describe('request guard (DNS rebinding)', () => {
  const guard = createRequestGuard({
    allowedHosts: hostsOf(new URL('https://mcp.hospital.example/mcp')),
    allowedOrigins: ['https://assistant.example'],
  });

  it('accepts the public host, with or without its default port, and no Origin', () => {
    expect(guard({ host: 'mcp.hospital.example' })).toEqual({ ok: true });
    expect(guard({ host: 'MCP.hospital.example:443' })).toEqual({ ok: true });
  });

  it('refuses another Host, and an Origin nobody allowed', () => {
    expect(guard({ host: 'evil.example' }).ok).toBe(false);
    expect(guard({ host: undefined }).ok).toBe(false);
    expect(guard({ host: 'mcp.hospital.example', origin: 'https://evil.example' }).ok).toBe(false);
    expect(guard({ host: 'mcp.hospital.example', origin: 'https://assistant.example' }).ok).toBe(
      true,
    );
  });
});

describe('per-patient rate limit', () => {
  it('lets a burst through, then asks to wait, and never slows another patient', () => {
    let now = 0;
    const limiter = createPatientRateLimiter({ burst: 2, perSecond: 0.5 }, () => now);
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')]).toEqual([0, 0, 2]);
    expect(limiter.take('b')).toBe(0);
    now = 2_000;
    expect(limiter.take('a')).toBe(0);
    expect(limiter.take('a')).toBeGreaterThan(0);
  });
});

describe('protected-resource metadata and challenges', () => {
  const resource = new URL('https://mcp.hospital.example/mcp');

  it('is served at the root and the path-suffixed location and names the issuer and scopes', () => {
    expect(metadataPaths(resource)).toEqual([
      '/.well-known/oauth-protected-resource',
      '/.well-known/oauth-protected-resource/mcp',
    ]);
    expect(
      protectedResourceMetadata({
        resource,
        authorizationServer: 'https://mcp.hospital.example',
        portalUrl: 'https://portal.example',
      }),
    ).toMatchObject({
      resource: 'https://mcp.hospital.example/mcp',
      authorization_servers: ['https://mcp.hospital.example'],
      resource_documentation: 'https://portal.example/dashboard/tokens',
      scopes_supported: ['read:data', 'write:data', 'book:appointments'],
    });
  });

  it('points 401 and 403 challenges at the metadata', () => {
    const pointer =
      'resource_metadata="https://mcp.hospital.example/.well-known/oauth-protected-resource/mcp"';
    expect(unauthorizedChallenge(resource)).toBe(`Bearer ${pointer}`);
    expect(
      unauthorizedChallenge(resource, {
        code: 'invalid_token',
        description: 'the "token" expired',
      }),
    ).toContain('error_description="the token expired"');
    const forbidden = insufficientScopeChallenge(resource, 'book:appointments');
    expect(forbidden).toContain('error="insufficient_scope"');
    expect(forbidden).toContain('scope="book:appointments"');
    expect(forbidden).toContain(pointer);
  });
});

describe('serve options', () => {
  it('needs --http, and reads flags before environment variables', () => {
    expect(() => parseServeOptions([], {})).toThrow(ConfigError);
    const options = parseServeOptions(['--http', '--port', '0', '--replica-id', 'r1'], {
      HOSPIAI_MCP_HTTP_PORT: '9000',
      HOSPIAI_MCP_PUBLIC_URL: 'https://mcp.hospital.example',
      HOSPIAI_MCP_RATE_LIMIT: '10/2',
    });
    expect(options).toMatchObject({
      port: 0,
      replicaId: 'r1',
      rateLimit: { burst: 10, perSecond: 2 },
    });
    expect(options !== 'help' && options.publicUrl?.href).toBe('https://mcp.hospital.example/mcp');
  });

  it('refuses a revocation cache longer than 30 s and unsafe replica ids', () => {
    expect(() => parseServeOptions(['--http', '--revocation-cache-ms', '60000'], {})).toThrow(
      /30 s/,
    );
    expect(() => parseServeOptions(['--http', '--replica-id', 'r1.evil'], {})).toThrow(
      /replica-id/,
    );
    expect(() => parseServeOptions(['--http', '--rate-limit', 'lots'], {})).toThrow(/rate-limit/);
  });

  it('a shared state store: a Redis URL, its sealing key beside it, no password on the command line', () => {
    const key = { HOSPIAI_MCP_SEAL_KEY: 'k'.repeat(32) };
    expect(
      parseServeOptions(['--http', '--state-store', 'redis://127.0.0.1:6379/0'], key),
    ).toMatchObject({ stateStoreUrl: 'redis://127.0.0.1:6379/0', sealKey: 'k'.repeat(32) });
    expect(
      parseServeOptions(['--http'], {
        ...key,
        HOSPIAI_MCP_STATE_STORE: 'rediss://:pw@cache.example:6380',
      }),
    ).toMatchObject({ stateStoreUrl: 'rediss://:pw@cache.example:6380' });
    expect(parseServeOptions(['--http'], {})).toMatchObject({ stateStoreUrl: null, sealKey: null });
    expect(() =>
      parseServeOptions(['--http', '--state-store', 'redis://127.0.0.1:6379'], {}),
    ).toThrow(/HOSPIAI_MCP_SEAL_KEY must be set/);
    expect(() =>
      parseServeOptions(['--http', '--state-store', 'redis://:pw@127.0.0.1:6379'], key),
    ).toThrow(/HOSPIAI_MCP_STATE_STORE instead/);
    expect(() => parseServeOptions(['--http', '--state-store', 'memcached://x'], key)).toThrow(
      /Redis URL/,
    );
    expect(() => parseServeOptions(['--http'], { HOSPIAI_MCP_SEAL_KEY: 'short' })).toThrow(
      /at least 32 characters/,
    );
  });
});

describe('nginx config from the template', () => {
  const render = (extra: { sharedSignIns?: boolean } = {}) =>
    renderNginxConfig({
      prefix: '/tmp/x',
      listen: '127.0.0.1:47800',
      replicas: [
        { id: 'r0', host: '127.0.0.1', port: 5000 },
        { id: 'r1', host: '127.0.0.1', port: 5001 },
      ],
      foreground: true,
      ...extra,
    });
  const config = render();

  it('routes each replica’s sessions to it, with the others as backups', () => {
    expect(config).toContain('"~^r0\\." hospiai_r0;');
    expect(config).toMatch(
      /upstream hospiai_r1 \{\n\s+server 127\.0\.0\.1:5001 max_fails=1 fail_timeout=5s;\n\s+server 127\.0\.0\.1:5000 backup;/,
    );
    expect(config).toContain('listen 127.0.0.1:47800;');
    expect(config).toContain('daemon off;');
    expect(config).not.toMatch(/\{\{[A-Z_]+\}\}/);
  });

  it('sends a confirmation page to the replica its id names, and signed-in sessions to the first one unless the sign-ins are shared', () => {
    const confirmMap =
      /map \$arg_id \$hospiai_confirm_upstream \{([^}]*)\}/.exec(config)?.[1] ?? '';
    expect(confirmMap).toContain('default hospiai_r0;');
    expect(confirmMap).toContain('"~^r1\\." hospiai_r1;');
    expect(config).toMatch(
      /location = \/oauth\/confirm \{\s+proxy_pass http:\/\/\$hospiai_confirm_upstream;/,
    );
    expect(config).toContain('"~^Bearer hao_" hospiai_r0;');
    const shared = render({ sharedSignIns: true });
    expect(shared).not.toContain('Bearer hao_');
    expect(shared).toContain('proxy_pass http://$hospiai_confirm_upstream;');
  });
});

describe('npm run cluster arguments', () => {
  it('splits its own options from the serve options after --, and checks both', () => {
    expect(parseClusterArgs(['--replicas', '3', '--', '--rate-limit', '60/2'])).toEqual({
      replicas: 3,
      port: 47_800,
      redis: false,
      replicaArgs: ['--rate-limit', '60/2'],
    });
    expect(parseClusterArgs([])).toEqual({
      replicas: 2,
      port: 47_800,
      redis: false,
      replicaArgs: [],
    });
    expect(parseClusterArgs(['--redis'])).toMatchObject({ redis: true });
    expect(() => parseClusterArgs(['--', '--state-store', 'redis://127.0.0.1:6379'])).toThrow(
      /use --redis/,
    );
    expect(() => parseClusterArgs(['--rate-limit', '60/2'])).toThrow(/after a second --/);
    expect(() => parseClusterArgs(['--', '--public-url=https://x.example/mcp'])).toThrow(
      /--public-url is set by the cluster/,
    );
    expect(() => parseClusterArgs(['--', '--rate-limit', 'fast'])).toThrow(ConfigError);
    expect(() => parseClusterArgs(['--replicas', '0'])).toThrow(/1 to 32/);
  });
});
