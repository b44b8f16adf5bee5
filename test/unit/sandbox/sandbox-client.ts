/** Test helpers: a sandbox portal per test file and small typed fetch wrappers. */
import { afterAll, beforeAll } from 'vitest';
import {
  DEMO_PATIENTS,
  type SandboxOptions,
  type SandboxPortal,
  startSandboxPortal,
} from '../../sandbox/portal';

export const [CAMILLE, LUCAS] = DEMO_PATIENTS as [
  (typeof DEMO_PATIENTS)[0],
  (typeof DEMO_PATIENTS)[0],
];
export const DR_MARTIN_ID = 'doc_5d1c7a20';

/** Starts a fresh portal for the calling test file; read `.current` inside tests. */
export function useSandbox(options: SandboxOptions = {}): { current: SandboxPortal } {
  const holder = {} as { current: SandboxPortal };
  beforeAll(async () => {
    holder.current = await startSandboxPortal(options);
  });
  afterAll(async () => {
    await holder.current?.close();
  });
  return holder;
}

export interface JsonResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

export async function call<T = Record<string, unknown>>(
  portal: SandboxPortal,
  path: string,
  init: RequestInit & { token?: string; json?: unknown } = {},
): Promise<JsonResponse<T>> {
  const headers = new Headers(init.headers);
  if (init.token) headers.set('authorization', `Bearer ${init.token}`);
  if (init.json !== undefined) headers.set('content-type', 'application/json');
  const res = await fetch(`${portal.url}${path}`, {
    ...init,
    headers,
    redirect: 'manual',
    body: init.json !== undefined ? JSON.stringify(init.json) : init.body,
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : {}) as T };
}

export async function page(
  portal: SandboxPortal,
  path: string,
  init: RequestInit = {},
): Promise<{ status: number; headers: Headers; html: string }> {
  const res = await fetch(`${portal.url}${path}`, { ...init, redirect: 'manual' });
  return { status: res.status, headers: res.headers, html: await res.text() };
}

export const form = (fields: Array<[string, string]>) => new URLSearchParams(fields).toString();

export const FORM_HEADERS = { 'content-type': 'application/x-www-form-urlencoded' };

export interface Slot {
  date: string;
  time: string;
  durationMinutes: number;
}

/** The first free slot of a doctor from tomorrow on (a slot nobody holds). */
export async function firstFreeSlot(
  portal: SandboxPortal,
  token: string,
  doctorId: string,
  skip = 0,
): Promise<Slot> {
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  const { body } = await call<{ slots: Slot[] }>(
    portal,
    `/api/mcp/doctors/${doctorId}/slots?date=${tomorrow}&days=7`,
    {
      token,
    },
  );
  const slot = body.slots[skip];
  if (!slot) throw new Error('no free slot in the coming week');
  return slot;
}
