/**
 * The MCP sessions this replica holds. A session id names its replica (`<replica>.<uuid>`), so
 * that the load balancer routes a session's requests — elicitation answers included — back to
 * the replica that holds its server. A session belongs to the patient who opened it; idle
 * sessions are closed, and a patient holds a bounded number of them.
 */
import { randomUUID } from 'node:crypto';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';

export interface HeldSession {
  id: string;
  patientId: string;
  server: McpServer;
  transport: StreamableHTTPServerTransport;
  /** Its answers go as plain JSON, never a stream (its client answers no question). */
  json: boolean;
  lastSeen: number;
}

export interface SessionRegistryOptions {
  replicaId: string;
  idleMs: number;
  maxPerPatient: number;
}

export function createSessionRegistry(options: SessionRegistryOptions) {
  const sessions = new Map<string, HeldSession>();

  const close = (session: HeldSession) => {
    sessions.delete(session.id);
    void session.transport.close().catch(() => {});
    void session.server.close().catch(() => {});
  };

  const sweeper = setInterval(
    () => {
      const idleBefore = Date.now() - options.idleMs;
      for (const session of sessions.values()) if (session.lastSeen < idleBefore) close(session);
    },
    Math.min(60_000, options.idleMs),
  );
  sweeper.unref();

  return {
    newId: () => `${options.replicaId}.${randomUUID()}`,
    get size() {
      return sessions.size;
    },
    /** The session, when this replica holds it for this patient. */
    find(id: string, patientId: string): HeldSession | undefined {
      const session = sessions.get(id);
      if (!session || session.patientId !== patientId) return undefined;
      session.lastSeen = Date.now();
      return session;
    },
    add(session: HeldSession): void {
      const own = [...sessions.values()].filter((s) => s.patientId === session.patientId);
      if (own.length >= options.maxPerPatient) {
        const oldest = own.reduce((a, b) => (a.lastSeen <= b.lastSeen ? a : b));
        close(oldest);
      }
      sessions.set(session.id, session);
    },
    remove(id: string): void {
      sessions.delete(id);
    },
    closeAll(): void {
      clearInterval(sweeper);
      for (const session of [...sessions.values()]) close(session);
    },
  };
}

export type SessionRegistry = ReturnType<typeof createSessionRegistry>;
