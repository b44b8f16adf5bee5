/**
 * Which bridge ports this user's relays hold: each relay writes `relays/<port>.json` (0600, in
 * the private home) while it listens. An unpaired relay cannot prove itself in a handshake, so
 * this is how `doctor` tells "your relay, not paired yet" from a stranger on the port: only this
 * user can write the home, and a record counts only while its process lives.
 */
import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { readFileIfExists, writeSecretFile } from '../home';

const DIR = 'relays';

const Registration = z
  .object({
    port: z.number().int().min(1).max(65_535),
    pid: z.number().int().positive(),
    relayId: z.string().max(32),
    startedAt: z.iso.datetime(),
  })
  .strict();
export type RelayRegistration = z.infer<typeof Registration>;

const fileOf = (home: string, port: number) => path.join(home, DIR, `${port}.json`);

export async function registerRelay(
  home: string,
  registration: Omit<RelayRegistration, 'startedAt'>,
): Promise<void> {
  await mkdir(path.join(home, DIR), { recursive: true, mode: 0o700 });
  const record: RelayRegistration = { ...registration, startedAt: new Date().toISOString() };
  await writeSecretFile(fileOf(home, registration.port), JSON.stringify(record));
}

/** Removes this process's record of `port` (not a successor's). */
export async function unregisterRelay(home: string, port: number, pid = process.pid) {
  const found = await readRegistration(home, port);
  if (found?.pid === pid) await rm(fileOf(home, port), { force: true });
}

/** The live relay of this user on `port`, or null (no record, or its process is gone). */
export async function liveRelayOn(home: string, port: number): Promise<RelayRegistration | null> {
  const found = await readRegistration(home, port);
  return found && isAlive(found.pid) ? found : null;
}

/** Every port with a live relay of this user. */
export async function liveRelays(home: string): Promise<RelayRegistration[]> {
  const names = await readdir(path.join(home, DIR)).catch(() => [] as string[]);
  const ports = names.map((name) => Number(name.replace(/\.json$/, ''))).filter(Number.isInteger);
  const found = await Promise.all(ports.map((port) => liveRelayOn(home, port)));
  return found.filter((r): r is RelayRegistration => r !== null);
}

async function readRegistration(home: string, port: number): Promise<RelayRegistration | null> {
  const text = await readFileIfExists(fileOf(home, port)).catch(() => null);
  if (text === null) return null;
  try {
    const parsed = Registration.safeParse(JSON.parse(text));
    return parsed.success && parsed.data.port === port ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Signal 0 checks existence; EPERM means another user's process, which is not ours. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
