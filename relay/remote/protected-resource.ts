/**
 * The resource server's side of MCP authorization: RFC 9728 protected-resource metadata naming
 * the authorization server (this server's own unless the operator names another) and the scopes, and the `WWW-Authenticate` challenges of
 * 401 (no or bad token) and 403 (insufficient scope) that point clients at that metadata.
 */
import { KNOWN_SCOPES } from '../protocol/protocol';

export const METADATA_PATH = '/.well-known/oauth-protected-resource';

export interface ResourceDescription {
  /** The MCP endpoint as clients reach it, e.g. https://mcp.hospital.example/mcp. */
  resource: URL;
  /** The issuer of the tokens: this server's own, or the one the operator named. */
  authorizationServer: string;
  /** The portal, whose Tokens page documents the tokens patients may also paste. */
  portalUrl: string;
}

/** Both RFC 9728 locations: the root form and the path-suffixed form (`…/mcp`). */
export function metadataPaths(resource: URL): string[] {
  const suffix = resource.pathname === '/' ? '' : resource.pathname.replace(/\/+$/, '');
  return suffix ? [METADATA_PATH, `${METADATA_PATH}${suffix}`] : [METADATA_PATH];
}

/** The URL a challenge points at: the path-suffixed form, as RFC 9728 §3.1 builds it. */
export function metadataUrl(resource: URL): string {
  const paths = metadataPaths(resource);
  return new URL(paths[paths.length - 1] as string, resource.origin).href;
}

export function protectedResourceMetadata({
  resource,
  authorizationServer,
  portalUrl,
}: ResourceDescription) {
  return {
    resource: resource.href,
    authorization_servers: [authorizationServer],
    scopes_supported: [...KNOWN_SCOPES],
    bearer_methods_supported: ['header'],
    resource_signing_alg_values_supported: ['RS256'],
    resource_name: 'HospiAI MCP server',
    resource_documentation: `${portalUrl}/dashboard/tokens`,
  };
}

const quoted = (text: string) => text.replace(/["\\]/g, '');

/** 401: no token, or one that failed verification. */
export function unauthorizedChallenge(
  resource: URL,
  error?: { code: string; description: string },
) {
  const parts = [`resource_metadata="${metadataUrl(resource)}"`];
  if (error)
    parts.push(`error="${quoted(error.code)}"`, `error_description="${quoted(error.description)}"`);
  return `Bearer ${parts.join(', ')}`;
}

/** 403: a valid token without the scope the request needs. */
export function insufficientScopeChallenge(resource: URL, scope: string) {
  return `Bearer error="insufficient_scope", scope="${quoted(scope)}", resource_metadata="${metadataUrl(resource)}", error_description="this needs the ${quoted(scope)} permission"`;
}
