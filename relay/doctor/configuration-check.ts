/** Link 1, configuration: the relay's settings from the environment, or the variable to fix. */
import { loadConfig, type RelayConfig } from '../config';
import type { Finding } from './checks';
import type { Tell } from './doctor-text';

export interface ConfigurationResult {
  findings: Finding[];
  /** Null when the configuration is refused: the links that need it are not walked. */
  config: RelayConfig | null;
}

export function checkConfiguration(env: NodeJS.ProcessEnv, tell: Tell): ConfigurationResult {
  const check = tell.check('configuration');
  try {
    const config = loadConfig(env);
    const { portalUrl, ports, home } = config;
    return {
      config,
      findings: [
        {
          check,
          status: 'ok',
          detail: tell('configOk', {
            portal: portalUrl,
            first: ports.first,
            last: ports.last,
            home,
          }),
        },
      ],
    };
  } catch (error) {
    // A ConfigError already speaks the patient's language (config.ts).
    const detail = (error as Error).message;
    return {
      config: null,
      findings: [{ check, status: 'broken', detail, fix: tell('configFix') }],
    };
  }
}
