/**
 * The portal's MCP tokens: RS256 JWTs signed with a key pair generated at start, published as
 * JWKS, tracked by `jti` so that revocation takes effect at once. The secret itself is never
 * stored: only the metadata the dashboard lists.
 */
import { randomBytes } from 'node:crypto';
import {
  type CryptoKey,
  calculateJwkThumbprint,
  errors,
  exportJWK,
  generateKeyPair,
  type JWK,
  type JWTPayload,
  jwtVerify,
  SignJWT,
} from 'jose';
import { bearerError } from './errors';
import type { Patient } from './seed-data';

export const TOKEN_ISSUER = 'hospiai-api';
export const TOKEN_AUDIENCE = 'hospiai-mcp';

export interface TokenRecord {
  id: string;
  patientId: string;
  name: string;
  scopes: string[];
  createdAt: string;
  expiresAt: string;
  lastUsedAt: string | null;
  revoked: boolean;
}

export interface IssueRequest {
  patient: Patient;
  name: string;
  scopes: string[];
  /** May be negative: tests issue already-expired tokens. */
  expiresInSeconds: number;
}

export class TokenService {
  private readonly records = new Map<string, TokenRecord>();

  private constructor(
    private readonly privateKey: CryptoKey,
    private readonly publicJwk: JWK,
    private readonly publicKey: CryptoKey,
    readonly kid: string,
  ) {}

  static async create(): Promise<TokenService> {
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
    const jwk = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(jwk);
    return new TokenService(privateKey, { ...jwk, kid, alg: 'RS256', use: 'sig' }, publicKey, kid);
  }

  jwks(): { keys: JWK[] } {
    return { keys: [this.publicJwk] };
  }

  async issue(request: IssueRequest): Promise<{ token: string; record: TokenRecord }> {
    const nowSeconds = Math.floor(Date.now() / 1000);
    const exp = nowSeconds + request.expiresInSeconds;
    const record: TokenRecord = {
      id: `tok_${randomBytes(8).toString('hex')}`,
      patientId: request.patient.id,
      name: request.name,
      scopes: [...request.scopes],
      createdAt: new Date(nowSeconds * 1000).toISOString(),
      expiresAt: new Date(exp * 1000).toISOString(),
      lastUsedAt: null,
      revoked: false,
    };
    const token = await this.sign(
      { sub: request.patient.id, email: request.patient.email, scope: record.scopes.join(' ') },
      { jti: record.id, iat: nowSeconds, exp },
    );
    this.records.set(record.id, record);
    return { token, record };
  }

  /** Signs arbitrary claims with the portal's key (for tests of iss/aud checks). */
  async sign(
    claims: JWTPayload,
    registered: { jti: string; iat: number; exp: number; iss?: string; aud?: string },
  ): Promise<string> {
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: this.kid, typ: 'JWT' })
      .setIssuer(registered.iss ?? TOKEN_ISSUER)
      .setAudience(registered.aud ?? TOKEN_AUDIENCE)
      .setJti(registered.jti)
      .setIssuedAt(registered.iat)
      .setExpirationTime(registered.exp)
      .sign(this.privateKey);
  }

  /** Verifies a bearer JWT; throws the documented 401 PortalError on any failure. */
  async verify(jwt: string): Promise<{ record: TokenRecord; scopes: string[] }> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(jwt, this.publicKey, {
        issuer: TOKEN_ISSUER,
        audience: TOKEN_AUDIENCE,
        algorithms: ['RS256'],
        requiredClaims: ['sub', 'jti', 'exp'],
      }));
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw bearerError('token_expired', 'Token expired');
      throw bearerError('invalid_token', 'Token invalide');
    }
    const record = this.records.get(payload.jti ?? '');
    if (!record || record.patientId !== payload.sub)
      throw bearerError('invalid_token', 'Token invalide');
    if (record.revoked)
      throw bearerError('token_revoked', 'Token revoked in the HospiAI dashboard');
    const scope = typeof payload['scope'] === 'string' ? payload['scope'] : '';
    return { record, scopes: scope.split(' ').filter(Boolean) };
  }

  touch(record: TokenRecord): void {
    record.lastUsedAt = new Date().toISOString();
  }

  /** The patient's tokens still listed in the dashboard (revoked ones are gone). */
  listFor(patientId: string): TokenRecord[] {
    return [...this.records.values()].filter((r) => r.patientId === patientId && !r.revoked);
  }

  get(id: string): TokenRecord | undefined {
    return this.records.get(id);
  }

  revoke(id: string): boolean {
    const record = this.records.get(id);
    if (!record) return false;
    record.revoked = true;
    return true;
  }
}
