/**
 * `npm start`: the product's main job on the sandbox portal, step by step. Starts the sandbox,
 * gets a token for the demo patient, starts the relay as an AI client would (stdio) and asks it
 * "what are my next appointments?".
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEMO_PATIENTS, startSandboxPortal } from '../sandbox/portal';
import { startStdioRelay } from '../support/stdio-relay';
import { formatAppointments, step } from './demo-output';

const SANDBOX_PORT = 47_600;

async function main(): Promise<void> {
  const patient = DEMO_PATIENTS[0]!;
  const portal = await startSandboxPortal({ port: SANDBOX_PORT }).catch(() =>
    startSandboxPortal({ port: 0 }),
  );
  const home = await mkdtemp(path.join(tmpdir(), 'hospiai-demo-'));
  try {
    step(1, `Sandbox HospiAI portal running at ${portal.url}`);
    step(
      2,
      `${patient.name} logs in (${patient.email}) and creates an API token for her assistant`,
    );
    const cookie = await portal.login(patient.email, patient.password);
    const generated = await fetch(`${portal.url}/api/tokens/generate`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json', origin: portal.url },
      body: JSON.stringify({
        name: 'AI assistant (demo)',
        scopes: ['read:data', 'book:appointments'],
        expiresInDays: 1,
      }),
    });
    if (generated.status !== 201) throw new Error(`token generation failed: ${generated.status}`);
    const { token } = (await generated.json()) as {
      token: { tokenMcp: string; expiresAt: string };
    };
    step(
      3,
      `Token created (scopes read:data, book:appointments; expires ${token.expiresAt}); it stays out of the model's sight`,
    );

    const relay = await startStdioRelay({
      clientName: 'demo-assistant',
      env: {
        HOSPIAI_URL: portal.url,
        HOSPIAI_MCP_HOME: home,
        HOSPIAI_TOKEN: token.tokenMcp,
      },
    });
    const { tools } = await relay.client.listTools();
    step(
      4,
      `The AI client started the relay over stdio; tools: ${tools.map((t) => t.name).join(', ')}`,
    );

    step(5, 'Patient: “What are my next appointments?” → the assistant calls get_appointments');
    const result = await relay.call('get_appointments', { limit: 5, status: 'confirmed' });
    if (result.isError) throw new Error(JSON.stringify(result.content));
    const { appointments } = result.structuredContent as {
      appointments: Parameters<typeof formatAppointments>[0];
    };
    process.stdout.write(`\n${formatAppointments(appointments)}\n\n`);
    await relay.close();
    step(
      6,
      'Done. Run `npm test` for every test, `npm run sandbox` to explore the portal in a browser.',
    );
  } finally {
    await portal.close();
    await rm(home, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
