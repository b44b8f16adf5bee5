/** The relay's version, reported to MCP clients and by `--version`. */
export const RELAY_VERSION = '0.1.0';
