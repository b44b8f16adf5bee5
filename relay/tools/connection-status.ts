import { z } from 'zod';
import { RelayError } from '../errors';
import { portalPath } from '../portal/portal-path';
import { ValidateResponse } from '../portal/portal-schemas';
import { RelayTokenState, TokenOrigin } from '../protocol/protocol';
import { defineTool } from './define-tool';

export const connectionStatus = defineTool({
  name: 'connection_status',
  title: 'HospiAI connection status',
  description:
    'Tells whether the HospiAI connection works: which patient is connected, the permissions (scopes) granted, when the access expires, where the access comes from (the browser extension or the HOSPIAI_TOKEN setting) and, when something is wrong, what the patient should do. Call it when another HospiAI tool fails or when the patient asks whether they are connected.',
  scope: null,
  kind: 'read',
  input: {},
  output: {
    connected: z.boolean(),
    tokenState: RelayTokenState,
    source: TokenOrigin.nullable(),
    scopes: z.array(z.string()),
    expiresAt: z.string().nullable(),
    patient: z.object({ id: z.string(), email: z.string(), name: z.string() }).nullable(),
    portalUrl: z.string(),
    extension: z.object({
      paired: z.boolean(),
      connections: z.number().int(),
      bridgePort: z.number().int().nullable(),
      bridgeProblem: z.string().nullable(),
    }),
    problem: z.object({ code: z.string(), message: z.string() }).nullable(),
  },
  async handle(_args, { api, vault, describeConnection }) {
    const facts = describeConnection();
    let patient: { id: string; email: string; name: string } | null = null;
    let problem: { code: string; message: string } | null = null;
    try {
      const validated = await api.call(null, {
        method: 'POST',
        path: portalPath`/validate`,
        schema: ValidateResponse,
      });
      const { user } = validated;
      patient = {
        id: user.id,
        email: user.email,
        name: [user.firstname, user.surname].filter(Boolean).join(' ') || user.email,
      };
    } catch (error) {
      if (!(error instanceof RelayError)) throw error;
      problem = { code: error.code, message: error.message };
    }
    const info = vault.info();
    return {
      structured: {
        connected: patient !== null,
        tokenState: info.state,
        source: info.source,
        scopes: info.scopes,
        expiresAt: info.expiresAt,
        patient,
        portalUrl: facts.portalUrl,
        extension: {
          paired: facts.paired,
          connections: facts.extensionConnections,
          bridgePort: facts.bridgePort,
          bridgeProblem: facts.bridgeProblem,
        },
        problem,
      },
      resourceIds: [],
      outcome: patient ? 'ok' : (problem?.code ?? 'error'),
    };
  },
});
