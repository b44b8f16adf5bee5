/**
 * Fetches an OAuth Client ID Metadata Document (draft-ietf-oauth-client-id-metadata-document):
 * the client's `client_id` is an HTTPS URL and this server GETs it. A server-side request to a
 * URL anyone can name, so: HTTPS only, the default port or an explicit one, no redirects, 5 s,
 * at most 64 KiB, JSON only — and the address the name resolves to is checked at connect time
 * (no loopback, private, link-local or otherwise internal address unless the operator allows
 * it), so a rebinding name cannot swap in an internal host between the check and the request.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request } from 'node:https';
import { BlockList, isIP } from 'node:net';

export const MAX_DOCUMENT_BYTES = 64 * 1024;
const TIMEOUT_MS = 5_000;

/** Addresses a metadata fetch may not reach (RFC 6890 special-purpose, both families). */
const INTERNAL = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  INTERNAL.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  INTERNAL.addSubnet(net, prefix, 'ipv6');

export function isInternalAddress(address: string): boolean {
  // An IPv4-mapped IPv6 address (::ffff:10.0.0.1) is its IPv4 address.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return isInternalAddress(mapped);
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (hex) {
    const high = Number.parseInt(hex[1] as string, 16);
    const low = Number.parseInt(hex[2] as string, 16);
    return isInternalAddress(`${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`);
  }
  const family = isIP(address);
  if (family === 0) return true;
  return INTERNAL.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

export interface MetadataFetchOptions {
  /** Lets documents on internal addresses be fetched (a hospital's intranet; tests). */
  allowInternalHosts?: boolean;
  /** The whole fetch, from the request to the document's last byte (5 s; tests shorten it). */
  timeoutMs?: number;
}

export class MetadataFetchError extends Error {}

/** The document's parsed JSON, or a MetadataFetchError saying what was wrong. */
export function fetchClientMetadata(
  clientId: URL,
  options: MetadataFetchOptions = {},
): Promise<unknown> {
  // An address written in the URL is never looked up: check it here.
  const literal = clientId.hostname.replace(/^\[|\]$/g, '');
  if (isIP(literal) && isInternalAddress(literal) && !options.allowInternalHosts)
    return Promise.reject(new MetadataFetchError(`${clientId.hostname} is an internal address`));
  const timeoutMs = options.timeoutMs ?? TIMEOUT_MS;
  let deadline: ReturnType<typeof setTimeout> | undefined;
  return new Promise<unknown>((resolve, reject) => {
    const fail = (reason: string) => reject(new MetadataFetchError(reason));
    // A deadline for the whole fetch: the socket's idle timeout alone lets a server that sends
    // a byte every few seconds hold the request (and this replica's socket) for hours.
    deadline = setTimeout(() => {
      req.destroy();
      fail('the client metadata document did not arrive in time');
    }, timeoutMs);
    const req = request(
      clientId,
      {
        method: 'GET',
        headers: { accept: 'application/json' },
        timeout: timeoutMs,
        lookup: (hostname, lookupOptions, callback) =>
          dnsLookup(hostname, { ...lookupOptions, all: true }, (error, addresses) => {
            if (error) return callback(error, '', 4);
            const list = addresses as LookupAddress[];
            const refused = list.find((entry) => isInternalAddress(entry.address));
            if (refused && !options.allowInternalHosts)
              return callback(
                Object.assign(new Error(`${hostname} resolves to an internal address`), {
                  code: 'EINTERNAL',
                }),
                '',
                4,
              );
            const first = list[0];
            if (!first) return callback(new Error(`${hostname} has no address`), '', 4);
            if (lookupOptions.all)
              return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
            return callback(null, first.address, first.family);
          }),
      },
      (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          return fail(`the client metadata document answered HTTP ${res.statusCode}`);
        }
        const type = String(res.headers['content-type'] ?? '');
        if (!/^application\/([a-z.+-]*\+)?json\b/i.test(type)) {
          res.resume();
          return fail('the client metadata document is not JSON');
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_DOCUMENT_BYTES) {
            req.destroy();
            return fail(`the client metadata document is larger than ${MAX_DOCUMENT_BYTES} bytes`);
          }
          chunks.push(chunk);
        });
        res.on('end', () => {
          try {
            resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
          } catch {
            fail('the client metadata document is not valid JSON');
          }
        });
        res.on('error', () => fail('the client metadata document could not be read'));
      },
    );
    req.on('timeout', () => {
      req.destroy();
      fail('the client metadata document did not arrive in time');
    });
    req.on('error', (error: NodeJS.ErrnoException) =>
      fail(
        error.code === 'EINTERNAL'
          ? error.message
          : `the client metadata document could not be fetched (${error.code ?? error.message})`,
      ),
    );
    req.end();
  }).finally(() => clearTimeout(deadline));
}
