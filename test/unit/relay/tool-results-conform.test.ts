/**
 * Every tool × every way it can end, called as real AI clients call it: `tools/list` first, then
 * the call. The SDK v1 Client then checks each result against the listed `outputSchema` (also on
 * error results); on top of that each result is checked here against the MCP CallToolResult
 * schema and, independently, with Ajv against the listed output schema.
 */
import { CallToolResultSchema, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { Ajv } from 'ajv';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tools } from '../../../relay/tools/index';
import { DEMO_PATIENTS, type SandboxPortal, startSandboxPortal } from '../../sandbox/portal';
import { fakeExtensionLink, startInMemoryRelay } from '../../support/in-memory-relay';

const camille = DEMO_PATIENTS[0]!;
const ALL_SCOPES = ['read:data', 'write:data', 'book:appointments'];
const accept = () => ({ action: 'accept' as const, content: { confirm: true } });

let portal: SandboxPortal;
/** Valid arguments for each tool, taken from the sandbox's data. */
let validArgs: Record<string, Record<string, unknown>>;

beforeAll(async () => {
  portal = await startSandboxPortal();
  const { token } = await portal.issueToken({ email: camille.email, scopes: ALL_SCOPES });
  const relay = await startInMemoryRelay({ portalUrl: portal.url, token });
  const doctors = (await relay.call('find_doctors', { name: 'Martin' })).structuredContent as {
    doctors: { id: string }[];
  };
  const doctorId = doctors.doctors[0]!.id;
  const from = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
  const slots = (await relay.call('get_available_slots', { doctorId, date: from, days: 7 }))
    .structuredContent as { slots: { date: string; time: string }[] };
  const slot = slots.slots[0]!;
  const list = (await relay.call('get_appointments', { status: 'confirmed' }))
    .structuredContent as {
    appointments: { id: string }[];
  };
  validArgs = {
    get_appointments: { limit: 5 },
    get_medical_records: {},
    find_doctors: { specialty: 'cardio' },
    get_available_slots: { doctorId, date: from, days: 3 },
    book_appointment: { doctorId, date: slot.date, time: slot.time, reason: 'Check-up' },
    cancel_appointment: { appointmentId: list.appointments[0]!.id },
    connection_status: {},
  };
  await relay.close();
});
afterAll(() => portal.close());
afterEach(() => portal.faults.reset());

const MALFORMED: Record<string, Record<string, unknown>> = {
  get_appointments: { limit: 'many' },
  get_medical_records: { type: 42 },
  find_doctors: { name: ['Martin'] },
  get_available_slots: { doctorId: 'doc_5d1c7a20', date: 'next tuesday' },
  book_appointment: { doctorId: 'doc_5d1c7a20', date: '2030-01-07', time: '25:99', reason: 'x' },
  cancel_appointment: {},
};

type RelayOptions = Parameters<typeof startInMemoryRelay>[0];

interface Scenario {
  name: string;
  relay: () => Promise<RelayOptions>;
  before?: () => void;
  args?: (tool: string) => Record<string, unknown> | undefined;
}

const token = async (scopes = ALL_SCOPES, expiresInSeconds?: number) =>
  (await portal.issueToken({ email: camille.email, scopes, expiresInSeconds })).token;

const SCENARIOS: Scenario[] = [
  {
    name: 'success',
    relay: async () => ({ portalUrl: portal.url, token: await token(), elicit: accept }),
  },
  { name: 'no token, no extension', relay: async () => ({ portalUrl: portal.url }) },
  {
    name: 'extension not paired',
    relay: async () => ({
      portalUrl: portal.url,
      extension: fakeExtensionLink({ paired: false }).link,
    }),
  },
  {
    name: 'extension offline',
    relay: async () => ({
      portalUrl: portal.url,
      extension: fakeExtensionLink({ paired: true, connections: 0 }).link,
    }),
  },
  {
    name: 'token without the scopes',
    relay: async () => ({
      portalUrl: portal.url,
      token: await token(['write:data']),
      elicit: accept,
    }),
  },
  {
    name: 'expired token',
    relay: async () => ({
      portalUrl: portal.url,
      token: await token(ALL_SCOPES, -60),
      elicit: accept,
    }),
  },
  {
    name: 'token revoked in the dashboard',
    relay: async () => {
      const issued = await portal.issueToken({ email: camille.email, scopes: ALL_SCOPES });
      portal.revokeToken(issued.id);
      return { portalUrl: portal.url, token: issued.token, elicit: accept };
    },
  },
  {
    name: 'portal unreachable',
    relay: async () => ({
      portalUrl: 'http://127.0.0.1:9',
      token: await token(),
      elicit: accept,
      portal: { maxRetries: 0 },
    }),
  },
  {
    name: 'portal failing',
    relay: async () => ({ portalUrl: portal.url, token: await token(), elicit: accept }),
    before: () => portal.faults.failNext({ pathPrefix: '/api/', status: 503, count: 1_000 }),
  },
  {
    name: 'rate limited',
    relay: async () => ({ portalUrl: portal.url, token: await token(), elicit: accept }),
    before: () =>
      portal.faults.failNext({
        pathPrefix: '/api/',
        status: 429,
        count: 1_000,
        retryAfterSeconds: 120,
      }),
  },
  {
    name: 'patient declines',
    relay: async () => ({
      portalUrl: portal.url,
      token: await token(),
      elicit: () => ({ action: 'decline' }),
    }),
  },
  {
    name: 'no elicitation and no extension to ask',
    relay: async () => ({ portalUrl: portal.url, token: await token() }),
  },
  {
    name: 'malformed arguments',
    relay: async () => ({ portalUrl: portal.url, token: await token(), elicit: accept }),
    args: (tool) => MALFORMED[tool],
  },
  {
    name: 'unknown or taken resources',
    relay: async () => ({ portalUrl: portal.url, token: await token(), elicit: accept }),
    args: (tool) =>
      ({
        get_available_slots: { ...validArgs.get_available_slots, doctorId: 'doc_00000000' },
        cancel_appointment: { appointmentId: 'apt_00000000' },
        book_appointment: { ...validArgs.book_appointment, date: '2020-01-06' },
      })[tool],
  },
];

const ajv = new Ajv({ strict: false });
const seenCodes = new Set<string>();

function expectConforms(result: unknown, tool: Tool, where: string): void {
  const parsed = CallToolResultSchema.safeParse(result);
  expect(parsed.success, `${where}: not a CallToolResult`).toBe(true);
  const call = parsed.data!;
  if (call.isError) {
    expect(call.structuredContent, `${where}: error with structuredContent`).toBeUndefined();
    const text = call.content[0]?.type === 'text' ? call.content[0].text : '';
    // Either the relay's `CODE: sentence`, or the SDK's own refusal of malformed arguments.
    const code = /^([A-Z_]+): \S/.exec(text)?.[1];
    if (code) seenCodes.add(code);
    else expect(text, where).toMatch(/Input validation error: .+/);
    return;
  }
  expect(tool.outputSchema, where).toBeDefined();
  const validate = ajv.compile(tool.outputSchema!);
  expect(validate(call.structuredContent), `${where}: ${ajv.errorsText(validate.errors)}`).toBe(
    true,
  );
}

describe('tool results once tools are listed', () => {
  for (const scenario of SCENARIOS) {
    it(`every tool's result conforms: ${scenario.name}`, async () => {
      const relay = await startInMemoryRelay({ ...(await scenario.relay()), renewalWaitMs: 100 });
      const { tools: listed } = await relay.client.listTools();
      scenario.before?.();
      for (const definition of tools) {
        const args = scenario.args ? scenario.args(definition.name) : validArgs[definition.name];
        if (!args) continue;
        const where = `${scenario.name} / ${definition.name}`;
        // The SDK v1 client throws here if the result does not match the listed outputSchema.
        const result = await relay.client.callTool({ name: definition.name, arguments: args });
        expectConforms(result, listed.find((t) => t.name === definition.name)!, where);
      }
      await relay.close();
    });
  }

  it('met every refusal code the relay can give', () => {
    expect([...seenCodes].sort()).toEqual(
      expect.arrayContaining([
        'EXTENSION_OFFLINE',
        'INSUFFICIENT_SCOPE',
        'INVALID_REQUEST',
        'NOT_CONFIRMED',
        'NOT_FOUND',
        'NOT_PAIRED',
        'NO_TOKEN',
        'PORTAL_ERROR',
        'PORTAL_UNREACHABLE',
        'RATE_LIMITED',
        'TOKEN_EXPIRED',
        'TOKEN_REVOKED',
      ]),
    );
  });
});
