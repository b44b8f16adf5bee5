/**
 * A minimal MCP Apps host, for the e2e tests of the confirmation card: the host side of
 * `@modelcontextprotocol/ext-apps` (AppBridge over postMessage) with the app's HTML in a
 * sandboxed iframe (scripts only: an opaque origin, as hosts run apps), the host context it is
 * given (locale), one tool result sent, and every open-link request recorded (`window.openedLinks`)
 * rather than followed. Runs in the browser; bundled by test/e2e/confirmation-app-card.test.ts.
 */
import {
  AppBridge,
  type McpUiHostContext,
  PostMessageTransport,
} from '@modelcontextprotocol/ext-apps/app-bridge';

interface HostWindow {
  openedLinks: string[];
  showApp(app: { html: string; result: unknown; hostContext: McpUiHostContext }): Promise<void>;
}

const host = window as unknown as HostWindow;
host.openedLinks = [];

host.showApp = async ({ html, result, hostContext }) => {
  const frame = document.createElement('iframe');
  frame.setAttribute('sandbox', 'allow-scripts');
  frame.title = 'app';
  frame.style.cssText = 'width:480px;height:420px;border:1px solid #ccc';
  document.body.append(frame);
  const view = frame.contentWindow as Window;
  const bridge = new AppBridge(
    null,
    { name: 'e2e host', version: '1.0.0' },
    { openLinks: {} },
    { hostContext },
  );
  bridge.onopenlink = async ({ url }) => {
    host.openedLinks.push(url);
    return {};
  };
  const initialized = new Promise<void>((resolve) => {
    bridge.oninitialized = () => resolve();
  });
  // Listening before the app starts: its first message is the handshake.
  await bridge.connect(new PostMessageTransport(view, view));
  frame.srcdoc = html;
  await initialized;
  await bridge.sendToolInput({ arguments: {} });
  await bridge.sendToolResult(result as Parameters<AppBridge['sendToolResult']>[0]);
};
