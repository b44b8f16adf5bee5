import { defineContentScript } from 'wxt/utils/define-content-script';
import { startPageAgent } from '../portal/page-agent';

const marker = globalThis as { hospiaiMcpAgent?: true };

export default defineContentScript({
  // Registered at run time for exactly the configured portal origin (portal-tabs.ts).
  registration: 'runtime',
  matches: [],
  main() {
    // The background may inject the script into a tab that already has it.
    if (marker.hospiaiMcpAgent) return;
    marker.hospiaiMcpAgent = true;
    startPageAgent(document);
  },
});
