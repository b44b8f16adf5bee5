/**
 * The original design (seed/000_8eee44c2fcee92e8.txt, a Python FastMCP server) ported to the
 * TypeScript `fastmcp` package, for `npm run bench` to time side by side with the relay: one
 * stdio server whose `get_appointments` takes the patient's token as an argument and forwards
 * the call to the portal. Test-only — it has every flaw the relay exists to fix (the model sees
 * the token). The port is kind to the original: global `fetch` keeps its connections alive,
 * where the seed's `httpx.AsyncClient()` per call opened a new one each time.
 *
 * Started as `node --import tsx test/bench/original-design.ts` with HOSPIAI_URL set.
 */
import { FastMCP } from 'fastmcp';
import { z } from 'zod';

const api = `${process.env.HOSPIAI_URL ?? 'http://127.0.0.1:0'}/api/mcp`;

const authHeader = (token: string) => ({
  Authorization: `Bearer ${token}`,
  'Content-Type': 'application/json',
});

const mcp = new FastMCP({ name: 'HospiAI', version: '1.0.0' });

mcp.addTool({
  name: 'get_appointments',
  description: 'Récupère les rendez-vous du patient',
  parameters: z.object({
    token: z.string().describe('Token JWT du patient (généré dans HospiAI Dashboard)'),
    limit: z.number().int().default(10).describe('Nombre maximum de rendez-vous à récupérer'),
  }),
  execute: async ({ token, limit }) => {
    const response = await fetch(`${api}/appointments?limit=${limit}`, {
      headers: authHeader(token),
    });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return JSON.stringify(await response.json());
  },
});

await mcp.start({ transportType: 'stdio' });
