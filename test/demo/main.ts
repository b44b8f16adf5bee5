/**
 * `npm start`: the product's main job on the sandbox portal, step by step, printed as it goes.
 *
 * With Debian's Chromium (/usr/bin/chromium): the sandbox portal and a relay started as an AI
 * client starts it (stdio); Chromium with the extension logs the demo patient in, she consents,
 * pairs the extension with the code `hospiai-mcp pair` printed, the token reaches the relay, and
 * the AI client asks "what are my next appointments?". With a display the browser stays open.
 *
 * Without Chromium: the same question answered with a token the patient made on the portal's
 * Tokens page and gave to the relay as HOSPIAI_TOKEN (the seed's way), and a hint to install it.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { DEMO_PATIENTS, type SandboxPortal, startSandboxPortal } from '../sandbox/portal';
import { CHROMIUM_PATH, runPatientFlow } from '../support/browser';
import { freePortRange } from '../support/free-ports';
import { RELAY_BIN, type StdioRelay, startStdioRelay } from '../support/stdio-relay';
import { formatAppointments, note, step } from './demo-output';

const SANDBOX_PORT = 47_600;
const patient = DEMO_PATIENTS[0]!;
const run = promisify(execFile);

async function askForNextAppointments(relay: StdioRelay): Promise<void> {
  step('Patient: “What are my next appointments?” → the assistant calls get_appointments');
  const result = await relay.call('get_appointments', { limit: 5, status: 'confirmed' });
  if (result.isError) throw new Error(JSON.stringify(result.content));
  const { appointments } = result.structuredContent as {
    appointments: Parameters<typeof formatAppointments>[0];
  };
  process.stdout.write(`\n${formatAppointments(appointments)}\n\n`);
}

async function withBrowser(portal: SandboxPortal, home: string): Promise<void> {
  const ports = await freePortRange(4);
  const env = { HOSPIAI_URL: portal.url, HOSPIAI_MCP_HOME: home, HOSPIAI_MCP_PORTS: ports.env };
  const relay = await startStdioRelay({ clientName: 'Claude Desktop (demo)', env });
  step('An AI client (“Claude Desktop (demo)”) started the relay over stdio');
  try {
    const flow = await runPatientFlow({
      portalUrl: portal.url,
      ports,
      patient,
      allowReads: true,
      pairingCode: async () => {
        const { stdout } = await run(process.execPath, [RELAY_BIN, 'pair', '--json'], {
          env: { PATH: process.env.PATH ?? '', ...env },
        });
        step('`hospiai-mcp pair` printed a one-time code; the patient types it into the popup');
        return (JSON.parse(stdout) as { code: string }).code;
      },
      onStep: step,
    });
    try {
      await askForNextAppointments(relay);
      if (process.env.DISPLAY && !process.env.CI) {
        note('The browser stays open: explore the popup and the portal. Ctrl+C to stop.');
        await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
      }
    } finally {
      await flow.browser.close();
    }
  } finally {
    await relay.close();
  }
}

async function withEnvironmentToken(portal: SandboxPortal, home: string): Promise<void> {
  note(
    `${CHROMIUM_PATH} not found: showing the relay alone. For the browser extension flow: sudo apt-get install -y chromium`,
  );
  step(`${patient.name} logs in and creates a token on the Tokens API page`);
  const cookie = await portal.login(patient.email, patient.password);
  const generated = await fetch(`${portal.url}/api/tokens/generate`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/json', origin: portal.url },
    body: JSON.stringify({ name: 'AI assistant (demo)', scopes: ['read:data'], expiresInDays: 1 }),
  });
  if (generated.status !== 201) throw new Error(`token generation failed: ${generated.status}`);
  const { token } = (await generated.json()) as { token: { tokenMcp: string } };
  const relay = await startStdioRelay({
    clientName: 'demo-assistant',
    env: { HOSPIAI_URL: portal.url, HOSPIAI_MCP_HOME: home, HOSPIAI_TOKEN: token.tokenMcp },
  });
  step('The AI client started the relay over stdio with HOSPIAI_TOKEN (kept in its memory only)');
  await askForNextAppointments(relay);
  await relay.close();
}

async function main(): Promise<void> {
  const portal = await startSandboxPortal({ port: SANDBOX_PORT }).catch(() =>
    startSandboxPortal({ port: 0 }),
  );
  const home = await mkdtemp(path.join(tmpdir(), 'hospiai-demo-'));
  try {
    step(
      `Sandbox HospiAI portal at ${portal.url} (demo patient ${patient.email} / ${patient.password})`,
    );
    if (existsSync(CHROMIUM_PATH)) await withBrowser(portal, home);
    else await withEnvironmentToken(portal, home);
    step('Done. `npm test` runs every test; `npm run sandbox` serves the portal on its own.');
  } finally {
    await portal.close();
    await rm(home, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
