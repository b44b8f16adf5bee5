/**
 * The OAuth clients this authorization server knows, two ways, as the MCP spec orders them:
 * - Client ID Metadata Documents: the `client_id` is an HTTPS URL, fetched (and cached) when
 *   the client first asks; the document must name itself as that `client_id`. Its name is
 *   shown as the client's, beside the host that served it — the one fact the patient can trust.
 * - RFC 7591 dynamic registration: the client posts its metadata and gets a random `client_id`.
 *   Its name is what it says of itself: the consent page says so.
 * Public clients only (`token_endpoint_auth_method: none`, PKCE); redirect URIs checked by
 * `redirectUriProblem` and later matched exactly. Registrations are kept in the state store
 * (every replica sharing it knows them) for 30 days after their last use; fetched documents are
 * cached by each replica for 10 minutes.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { parseStored, type StateStore } from '../state/state-store';
import { fetchClientMetadata, type MetadataFetchOptions } from './client-metadata-fetch';
import { redirectUriProblem } from './redirect-uris';

export const OAuthClient = z.object({
  clientId: z.string(),
  /** What the client calls itself (untrusted text: escaped wherever shown). */
  clientName: z.string().nullable(),
  redirectUris: z.array(z.string()),
  /** `metadata_document`: `verifiedHost` served the document; `registered`: self-declared. */
  kind: z.enum(['metadata_document', 'registered']),
  verifiedHost: z.string().nullable(),
});
export type OAuthClient = z.infer<typeof OAuthClient>;

export class ClientRefused extends Error {
  constructor(
    readonly error: 'invalid_client_metadata' | 'invalid_redirect_uri' | 'invalid_client',
    reason: string,
  ) {
    super(reason);
  }
}

const ClientMetadata = z
  .object({
    redirect_uris: z.array(z.string()).min(1).max(10),
    client_name: z.string().max(200).optional(),
    token_endpoint_auth_method: z.string().optional(),
    grant_types: z.array(z.string()).max(10).optional(),
    response_types: z.array(z.string()).max(10).optional(),
    scope: z.string().max(1000).optional(),
  })
  .passthrough();

const GRANT_TYPES = new Set(['authorization_code', 'refresh_token']);
/** Cached documents, and registrations a replica takes per hour (a flood cannot fill the store). */
const MAX_REGISTERED = 10_000;
const DOCUMENT_TTL_MS = 10 * 60_000;
const REGISTRATION_TTL_MS = 30 * 24 * 3_600_000;
const registrationKey = (clientId: string) => `oauth:client:${clientId}`;

export interface ClientRegistryOptions {
  metadataFetch?: MetadataFetchOptions;
  store: StateStore;
  now?: () => number;
}

export function createClientRegistry(options: ClientRegistryOptions) {
  const now = options.now ?? Date.now;
  const { store } = options;
  const hour = { start: 0, count: 0 };
  const documents = new Map<string, { client: OAuthClient; until: number }>();

  function checked(metadata: unknown): z.infer<typeof ClientMetadata> {
    const parsed = ClientMetadata.safeParse(metadata);
    if (!parsed.success)
      throw new ClientRefused(
        'invalid_client_metadata',
        'the client metadata needs redirect_uris (1 to 10 URLs) and at most a 200-character client_name',
      );
    const data = parsed.data;
    for (const uri of data.redirect_uris) {
      const problem = redirectUriProblem(uri);
      if (problem) throw new ClientRefused('invalid_redirect_uri', problem);
    }
    if (data.token_endpoint_auth_method && data.token_endpoint_auth_method !== 'none')
      throw new ClientRefused(
        'invalid_client_metadata',
        'only public clients are accepted here: token_endpoint_auth_method must be "none" (PKCE protects the code)',
      );
    const unsupported = (data.grant_types ?? []).find((grant) => !GRANT_TYPES.has(grant));
    if (unsupported)
      throw new ClientRefused(
        'invalid_client_metadata',
        `grant type ${unsupported} is not offered: authorization_code and refresh_token only`,
      );
    if (data.response_types?.some((type) => type !== 'code'))
      throw new ClientRefused('invalid_client_metadata', 'response type code only');
    return data;
  }

  return {
    /** RFC 7591: registers a public client; its `client_id` and what was accepted. */
    async register(metadata: unknown) {
      const data = checked(metadata);
      if (now() - hour.start > 3_600_000) Object.assign(hour, { start: now(), count: 0 });
      if (++hour.count > MAX_REGISTERED)
        throw new ClientRefused(
          'invalid_client_metadata',
          'too many registrations in the last hour: try again later',
        );
      const clientId = `dcr_${randomBytes(18).toString('base64url')}`;
      const client: OAuthClient = {
        clientId,
        clientName: data.client_name ?? null,
        redirectUris: data.redirect_uris,
        kind: 'registered',
        verifiedHost: null,
      };
      await store.set(registrationKey(clientId), JSON.stringify(client), REGISTRATION_TTL_MS);
      return {
        client_id: clientId,
        client_id_issued_at: Math.floor(now() / 1000),
        client_name: data.client_name,
        redirect_uris: data.redirect_uris,
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
      };
    },

    /** The client a `client_id` names, fetching its metadata document when it is a URL. */
    async resolve(clientId: string): Promise<OAuthClient> {
      if (clientId.startsWith('dcr_')) {
        const known = parseStored(OAuthClient, await store.get(registrationKey(clientId)));
        if (!known) throw new ClientRefused('invalid_client', 'this client_id is not known here');
        // Kept for 30 days after its last use.
        await store.set(registrationKey(clientId), JSON.stringify(known), REGISTRATION_TTL_MS);
        return known;
      }
      const url = metadataDocumentUrl(clientId);
      if (!url) throw new ClientRefused('invalid_client', 'this client_id is not known here');
      const cached = documents.get(url.href);
      if (cached && cached.until > now()) return cached.client;
      const document = await fetchClientMetadata(url, options.metadataFetch).catch(
        (error: Error) => {
          throw new ClientRefused('invalid_client', error.message);
        },
      );
      if ((document as { client_id?: unknown } | null)?.client_id !== clientId)
        throw new ClientRefused(
          'invalid_client',
          'the client metadata document does not name itself as this client_id',
        );
      const data = checked(document);
      const client: OAuthClient = {
        clientId,
        clientName: data.client_name ?? null,
        redirectUris: data.redirect_uris,
        kind: 'metadata_document',
        verifiedHost: url.host,
      };
      if (documents.size >= MAX_REGISTERED) documents.clear();
      documents.set(url.href, { client, until: now() + DOCUMENT_TTL_MS });
      return client;
    },
  };
}

export type ClientRegistry = ReturnType<typeof createClientRegistry>;

/** A `client_id` that is a metadata document's URL: HTTPS, a path, no fragment, no credentials. */
export function metadataDocumentUrl(clientId: string): URL | null {
  if (!clientId.startsWith('https://')) return null;
  try {
    const url = new URL(clientId);
    if (url.pathname === '/' || url.hash || url.username || url.password) return null;
    return url;
  } catch {
    return null;
  }
}
