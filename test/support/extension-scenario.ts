/**
 * One end-to-end world per test: its own sandbox portal (port 0), relay home (mkdtemp), bridge
 * port range (free consecutive ports), the built extension in a fresh state configured for that
 * portal and range (the file's shared Chromium, reset: browser.ts), and relays started over
 * stdio by SDK MCP clients, as AI clients do.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { beforeAll, onTestFinished } from 'vitest';
import { DEMO_PATIENTS, type SandboxPortal, startSandboxPortal } from '../sandbox/portal';
import {
  acquireSharedBrowser,
  type ConsentChoices,
  connectPatient,
  type ExtensionBrowser,
  type LaunchOptions,
  waitForRelaysWithToken,
} from './browser';

export { waitForRelaysWithToken };

import { freePortRange } from './free-ports';
import { RELAY_BIN, type StdioRelay, startStdioRelay } from './stdio-relay';

const run = promisify(execFile);

export const PATIENT = DEMO_PATIENTS[0]!;

// The e2e files of a vitest worker share one Chromium (browser.ts; vitest.config.ts runs them
// without isolation); it goes with the worker.

export interface WorldOptions {
  /** Lifetime of every token the sandbox issues (expiry and renewal tests). */
  tokenLifetimeSeconds?: number;
  /** Size of the bridge port range (relays take its first free ports). */
  portCount?: number;
  /** Extra environment for every relay, e.g. `HOSPIAI_MCP_CONFIRM_TIMEOUT_MS`. */
  relayEnv?: Record<string, string>;
}

export interface ScenarioOptions extends LaunchOptions, WorldOptions {
  /**
   * `test` (default): closed when the test that started it finishes. `suite`: for stories that
   * continue one another on one install (connectedStory), closed by the `beforeAll` that
   * started it.
   */
  lifetime?: 'test' | 'suite';
}

/** What a test runs against besides the browser: portal, relay home, ports, relays. */
export interface World {
  portal: SandboxPortal;
  home: string;
  ports: { first: number; last: number; env: string };
  relays: StdioRelay[];
  /**
   * Starts a relay the way the AI client `clientName` does (stdio), with the world's environment
   * and `env` on top (e.g. a shorter confirmation timeout for one AI client).
   */
  startRelay(clientName: string, env?: Record<string, string>): Promise<StdioRelay>;
  /** `hospiai-mcp pair --json` in this home: the code the patient types in the popup. */
  pairingCode(): Promise<string>;
  close(): Promise<void>;
}

/** Everything one e2e test runs against; closed automatically when the test finishes. */
export interface Scenario extends World {
  browser: ExtensionBrowser;
}

/** The browser-independent part of a scenario (Chromium's and Firefox's tests share it). */
export async function startWorld(options: WorldOptions = {}): Promise<World> {
  const portal = await startSandboxPortal({
    port: 0,
    tokenLifetimeSeconds: options.tokenLifetimeSeconds,
  });
  const home = await mkdtemp(path.join(tmpdir(), 'hospiai-e2e-home-'));
  const ports = await freePortRange(options.portCount ?? 4);
  const relays: StdioRelay[] = [];
  const env = {
    ...options.relayEnv,
    HOSPIAI_URL: portal.url,
    HOSPIAI_MCP_HOME: home,
    HOSPIAI_MCP_PORTS: ports.env,
  };
  let closed: Promise<void> | undefined;
  return {
    portal,
    home,
    ports,
    relays,
    startRelay: async (clientName, extra = {}) => {
      const relay = await startStdioRelay({ clientName, env: { ...env, ...extra } });
      relays.push(relay);
      return relay;
    },
    pairingCode: async () => {
      const { stdout } = await run(process.execPath, [RELAY_BIN, 'pair', '--json'], {
        env: { PATH: process.env.PATH ?? '', ...env },
      });
      return (JSON.parse(stdout) as { code: string }).code;
    },
    close: () => {
      closed ??= (async () => {
        await Promise.allSettled(relays.splice(0).map((relay) => relay.close()));
        await portal.close();
        await rm(home, { recursive: true, force: true });
      })();
      return closed;
    },
  };
}

export async function startScenario(options: ScenarioOptions = {}): Promise<Scenario> {
  const world = await startWorld(options);
  let browser: ExtensionBrowser;
  try {
    // The shared browser is keyed by its launch options alone (acquireSharedBrowser).
    browser = await acquireSharedBrowser(options, {
      portalOrigin: world.portal.url,
      ports: world.ports,
    });
  } catch (error) {
    await world.close();
    throw error;
  }
  let closed: Promise<void> | undefined;
  const scenario: Scenario = {
    ...world,
    browser,
    close: () => {
      closed ??= (async () => {
        // Relays first (the extension sees them go), then the browser, then the rest.
        await Promise.allSettled(world.relays.splice(0).map((relay) => relay.close()));
        await browser.close().catch(() => {});
        await world.close();
      })();
      return closed;
    },
  };
  // Torn down with the test that started it, whatever happens in the test.
  if (options.lifetime !== 'suite') onTestFinished(() => scenario.close());
  return scenario;
}

export interface StoryOptions extends ScenarioOptions {
  /** The AI clients whose relays run from the start. Default: Claude Desktop. */
  clients?: string[];
}

/** What the tests of a story on a fresh install share (filled by `beforeAll`). */
export interface FreshStory {
  scenario: Scenario;
  /** The relays of `clients`, in order. */
  relays: StdioRelay[];
  /** The first of them. */
  relay: StdioRelay;
}

/**
 * One install for the tests of the calling `describe` block, which continue one another on it,
 * in order: fresh (not logged in, no consent, not paired), with the relays of `clients` running
 * (none: `clients: []`). Closed after the block. Read it inside the tests.
 */
export function freshStory(options: StoryOptions = {}): FreshStory {
  const story = {} as FreshStory;
  beforeAll(async () => {
    const { clients = ['Claude Desktop'], ...scenarioOptions } = options;
    const scenario = await startScenario({ ...scenarioOptions, lifetime: 'suite' });
    try {
      const relays: StdioRelay[] = [];
      for (const client of clients) relays.push(await scenario.startRelay(client));
      Object.assign(story, { scenario, relays, relay: relays[0] });
    } catch (error) {
      await scenario.close();
      throw error;
    }
    return () => scenario.close();
  });
  return story;
}

export interface ConnectedStoryOptions extends StoryOptions {
  /** The patient's choices when consenting. Default: reads allowed without asking. */
  choices?: ConsentChoices;
}

/** What the tests of a connected patient's story share (filled by `beforeAll`). */
export interface Story extends FreshStory {
  dashboard: Page;
  popup: Page;
}

/**
 * A patient connected once — fresh install, logged in, consented, paired, the token in every
 * relay of `clients` — for the tests of the calling `describe` block, which continue one another
 * on that install, in order, and are written for it: each leaves the patient connected (or says
 * in its name that it ends the story) and judges what it did by differences (requests since it
 * began, appointments before and after), never by totals the earlier tests changed. A fresh
 * install, log-in, consent and pairing cost ~4 s of CPU per test here, most of a test's cost; a
 * test whose subject is one of those steps still starts its own scenario (or a `freshStory`).
 */
export function connectedStory(options: ConnectedStoryOptions = {}): Story {
  const { choices = { allowReads: true }, ...storyOptions } = options;
  const story = freshStory(storyOptions) as Story;
  beforeAll(async () => {
    const { dashboard, popup } = await connectEverything(story.scenario, choices);
    Object.assign(story, { dashboard, popup });
  });
  return story;
}

/** The text of a tool result (first content block). */
export function resultText(result: { content?: unknown }): string {
  const content = result.content as Array<{ type: string; text?: string }> | undefined;
  return content?.find((block) => block.type === 'text')?.text ?? '';
}

/**
 * The whole happy path in this scenario's browser: log in, consent on the dashboard (by default
 * letting the assistant read without asking each time), pair in the popup, and wait until every
 * running relay holds the token. Returns the portal tab and the popup.
 */
export function connectEverything(
  scenario: Scenario,
  choices: ConsentChoices = { allowReads: true },
): Promise<{ dashboard: Page; popup: Page }> {
  return connectPatient(scenario.browser, {
    ...choices,
    portalUrl: scenario.portal.url,
    patient: PATIENT,
    pairingCode: scenario.pairingCode,
    relays: scenario.relays.length,
  });
}

/** A doctor and a free slot from the sandbox, found through a relay as an AI client would. */
export async function freeSlot(relay: StdioRelay) {
  const { doctors } = (await relay.call('find_doctors', {})).structuredContent as {
    doctors: Array<{ id: string; name: string }>;
  };
  const doctor = doctors[0];
  if (!doctor) throw new Error('the sandbox lists no doctor');
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  const { slots } = (
    await relay.call('get_available_slots', { doctorId: doctor.id, date: tomorrow, days: 14 })
  ).structuredContent as { slots: Array<{ date: string; time: string }> };
  const slot = slots[0];
  if (!slot) throw new Error('no free slot in the sandbox');
  return { doctor, booking: { doctorId: doctor.id, date: slot.date, time: slot.time } };
}
