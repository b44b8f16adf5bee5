/** Link 5, portal: the HospiAI portal answers at HOSPIAI_URL (its public JWKS, no token sent). */
import { createHttpTransport } from '../portal/http-transport';
import type { Finding } from './checks';
import type { Tell } from './doctor-text';

export async function checkPortal(portalUrl: string, tell: Tell): Promise<Finding[]> {
  const check = tell.check('portal');
  const transport = createHttpTransport();
  try {
    const answer = await transport.send({
      method: 'GET',
      url: new URL(`${portalUrl}/.well-known/jwks.json`),
      headers: { accept: 'application/json' },
      timeoutMs: 5_000,
    });
    if (answer.status === 200) {
      return [{ check, status: 'ok', detail: tell('portalOk', { portal: portalUrl }) }];
    }
    return [
      {
        check,
        status: 'broken',
        detail: tell('portalStatus', { portal: portalUrl, status: answer.status }),
        fix: tell('portalStatusFix'),
      },
    ];
  } catch (error) {
    const message = (error as Error).message;
    return [
      {
        check,
        status: 'broken',
        detail: tell('portalUnreachable', { portal: portalUrl, message }),
        fix: tell('portalUnreachableFix'),
      },
    ];
  } finally {
    transport.close();
  }
}
