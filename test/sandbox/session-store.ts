/** Cookie sessions, as Auth.js issues them: an opaque id in an HttpOnly cookie, 7 days. */
import { randomBytes } from 'node:crypto';

export const SESSION_COOKIE = 'authjs.session-token';
export const SESSION_MAX_AGE_SECONDS = 7 * 24 * 3600;

export interface Session {
  id: string;
  patientId: string;
  expires: string;
  /** A just-generated token, kept in memory for the one page view that shows it. */
  newToken?: { id: string; secret: string; until: number };
}

/** A generated secret not viewed within this time is dropped, never shown. */
const NEW_TOKEN_TTL_MS = 60_000;

export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  create(patientId: string): Session {
    const session: Session = {
      id: randomBytes(32).toString('base64url'),
      patientId,
      expires: new Date(Date.now() + SESSION_MAX_AGE_SECONDS * 1000).toISOString(),
    };
    this.sessions.set(session.id, session);
    return session;
  }

  get(id: string | undefined): Session | undefined {
    if (!id) return undefined;
    const session = this.sessions.get(id);
    if (session && Date.parse(session.expires) <= Date.now()) {
      this.sessions.delete(id);
      return undefined;
    }
    return session;
  }

  /** Post/Redirect/Get: the POST stashes the secret, the next GET shows it once. */
  stashNewToken(session: Session, token: { id: string; secret: string }): void {
    session.newToken = { ...token, until: Date.now() + NEW_TOKEN_TTL_MS };
  }

  takeNewToken(session: Session): { id: string; secret: string } | undefined {
    const stashed = session.newToken;
    session.newToken = undefined;
    return stashed && stashed.until > Date.now()
      ? { id: stashed.id, secret: stashed.secret }
      : undefined;
  }

  end(id: string | undefined): void {
    if (id) this.sessions.delete(id);
  }
}

export function sessionCookie(session: Session): string {
  return `${SESSION_COOKIE}=${session.id}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${SESSION_MAX_AGE_SECONDS}`;
}

export const clearedSessionCookie = `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`;

/** The `Cookie` request header value a client sends for this session. */
export const cookieHeader = (session: Session) => `${SESSION_COOKIE}=${session.id}`;
