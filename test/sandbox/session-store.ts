/** Cookie sessions, as Auth.js issues them: an opaque id in an HttpOnly cookie, 7 days. */
import { randomBytes } from 'node:crypto';

export const SESSION_COOKIE = 'authjs.session-token';
export const SESSION_MAX_AGE_SECONDS = 7 * 24 * 3600;

export interface Session {
  id: string;
  patientId: string;
  expires: string;
}

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
