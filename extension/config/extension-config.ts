/**
 * The extension's settings (options page): which portal, which bridge ports. Tokens, consent
 * and pairing live elsewhere; this is only where to look.
 */
import { z } from 'zod';
import { DEFAULT_PORT_RANGE } from '../../relay/protocol/protocol';
import { storedValue } from '../storage/stored-value';
import { normalizePortalOrigin, PRODUCTION_PORTAL_ORIGIN } from './portal-origin';

/** More than this many ports would make the extension a port scanner of the machine. */
export const MAX_PORTS_IN_RANGE = 32;

const Port = z.number().int().min(1024).max(65_535);

export const PortRange = z
  .object({ first: Port, last: Port })
  .strict()
  .refine((range) => range.first <= range.last, 'first port after last port')
  .refine((range) => range.last - range.first < MAX_PORTS_IN_RANGE, 'port range too large');
export type PortRange = z.infer<typeof PortRange>;

export const ExtensionConfig = z
  .object({
    portalOrigin: z
      .string()
      .refine(
        (origin) => normalizePortalOrigin(origin) === origin,
        'not a canonical portal origin',
      ),
    ports: PortRange,
  })
  .strict();
export type ExtensionConfig = z.infer<typeof ExtensionConfig>;

export const DEFAULT_CONFIG: ExtensionConfig = {
  portalOrigin: PRODUCTION_PORTAL_ORIGIN,
  ports: { first: DEFAULT_PORT_RANGE.first, last: DEFAULT_PORT_RANGE.last },
};

export const extensionConfig = storedValue('local:config', ExtensionConfig, DEFAULT_CONFIG);
