/**
 * `npm run sandbox -- --port N [--latency-ms N] [--token-lifetime S]`: runs the sandbox portal
 * until SIGINT/SIGTERM and prints its URL and the demo logins (never a token).
 */
import { parseArgs } from 'node:util';
import { DEMO_PATIENTS, startSandboxPortal } from './portal';

export const DEFAULT_CLI_PORT = 47_600;

const USAGE = `Usage: npm run sandbox -- [options]

  --port N             port on 127.0.0.1 (default ${DEFAULT_CLI_PORT}; 0 = any free port)
  --latency-ms N       delay added to every /api/mcp response
  --token-lifetime S   lifetime in seconds of every generated token (overrides expiresInDays)
  --help               show this help
`;

function integer(name: string, text: string | undefined, min: number): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min)
    throw new Error(`--${name} expects an integer ≥ ${min}`);
  return value;
}

async function main(): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        'latency-ms': { type: 'string' },
        'token-lifetime': { type: 'string' },
        help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values['help']) {
    process.stdout.write(USAGE);
    return 0;
  }
  const str = (key: string) =>
    typeof values[key] === 'string' ? (values[key] as string) : undefined;
  let options: { port: number; latencyMs?: number; tokenLifetimeSeconds?: number };
  try {
    options = {
      port: integer('port', str('port'), 0) ?? DEFAULT_CLI_PORT,
      latencyMs: integer('latency-ms', str('latency-ms'), 0),
      tokenLifetimeSeconds: integer('token-lifetime', str('token-lifetime'), 1),
    };
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const portal = await startSandboxPortal(options);
  const logins = DEMO_PATIENTS.map((p) => `  ${p.name}: ${p.email} / ${p.password}`).join('\n');
  process.stdout.write(`HospiAI sandbox portal: ${portal.url}\nDemo patients:\n${logins}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await portal.close();
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `sandbox portal failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  },
);
