/**
 * The chain `hospiai-mcp doctor` walks, in order: configuration, home, pairing, bridge ports,
 * portal, token, AI clients. Each link gets what it needs from the links before it, spelled
 * out here; without a configuration only the AI clients can still be checked.
 */
import { type Lang, langFromEnv } from '../i18n/messages';
import { checkAiClients } from './ai-clients-check';
import { checkBridgePorts } from './bridge-ports-check';
import type { Finding } from './checks';
import { checkConfiguration } from './configuration-check';
import { tellIn } from './doctor-text';
import { checkHome } from './home-check';
import { checkPairing } from './pairing-check';
import { checkPortal } from './portal-check';
import { checkToken } from './token-check';

export async function runDoctor(
  env: NodeJS.ProcessEnv,
  lang: Lang = langFromEnv(env),
): Promise<Finding[]> {
  const tell = tellIn(lang);
  const configuration = checkConfiguration(env, tell);
  const { config } = configuration;
  if (!config) return [...configuration.findings, ...(await checkAiClients(env, tell))];

  const home = await checkHome(config.home, tell);
  const pairing = await checkPairing(config.home, tell);
  const ports = await checkBridgePorts({ config, pairing: pairing.pairing }, tell);
  const portal = await checkPortal(config.portalUrl, tell);
  const token = await checkToken(
    { config, relays: ports.relays, unpairedRelays: ports.unpairedRelays },
    tell,
  );
  const clients = await checkAiClients(env, tell);
  return [
    ...configuration.findings,
    ...home,
    ...pairing.findings,
    ...ports.findings,
    ...portal,
    ...token,
    ...clients,
  ];
}
