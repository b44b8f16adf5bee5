/**
 * RFC 8414 authorization-server metadata for the remote mode's own authorization server, with
 * what MCP clients branch on: PKCE S256 only, public clients (`none`), Client ID Metadata
 * Documents and RFC 7591 registration, RFC 9207 `iss` in the redirect, RFC 7009 revocation.
 */
import { KNOWN_SCOPES } from '../../protocol/protocol';

export const AS_METADATA_PATH = '/.well-known/oauth-authorization-server';
export const OAUTH_PATHS = {
  authorize: '/oauth/authorize',
  token: '/oauth/token',
  register: '/oauth/register',
  revoke: '/oauth/revoke',
} as const;

/** The issuer is the server's origin: the metadata is at its root well-known path. */
export function authorizationServerMetadata(issuer: URL) {
  const at = (path: string) => new URL(path, issuer).href;
  return {
    issuer: issuer.origin,
    authorization_endpoint: at(OAUTH_PATHS.authorize),
    token_endpoint: at(OAUTH_PATHS.token),
    registration_endpoint: at(OAUTH_PATHS.register),
    revocation_endpoint: at(OAUTH_PATHS.revoke),
    scopes_supported: [...KNOWN_SCOPES],
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: ['none'],
    revocation_endpoint_auth_methods_supported: ['none'],
    client_id_metadata_document_supported: true,
    authorization_response_iss_parameter_supported: true,
  };
}
