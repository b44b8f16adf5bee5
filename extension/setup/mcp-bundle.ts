/**
 * Claude Desktop's MCP Bundle of the relay, shipped inside the extension: `wxt.config.ts` copies
 * the `hospiai-mcp.mcpb` this build packed (`npm run build:mcpb`) to the extension's root, and
 * the popup's Connect view offers it for download. One name for both.
 */
export const MCP_BUNDLE_FILE = 'hospiai-mcp.mcpb';

/** Where the extension serves it from (`runtime.getURL`). */
export const MCP_BUNDLE_PATH = '/hospiai-mcp.mcpb';
