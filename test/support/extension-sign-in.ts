/**
 * The start of every "Sign in with HospiAI through the extension" story, in Chromium and in
 * Firefox: a remote server for the scenario's portal, and an assistant (the SDK's OAuth client)
 * whose redirect URI is a callback of its own, already sent to the authorization URL.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { onTestFinished } from 'vitest';
import { ScriptedOAuthClient, startSignIn } from './oauth-patient';
import { type RemoteServer, startRemoteServer } from './remote-server';

/** `serve --http` for this portal, stopped when the test ends. */
export async function remoteServerForTest(portalUrl: string, args?: string[]) {
  const server: RemoteServer = await startRemoteServer({ portalUrl, args });
  onTestFinished(async () => void (await server.stop()));
  return server;
}

/** The assistant's callback on a port of its own: what the browser arrives at. */
async function startCallback(): Promise<string> {
  const http = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end('back in the assistant');
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => {
    // The browser keeps its connections alive: they would hold close() for a minute.
    http.closeAllConnections();
    return new Promise<void>((resolve) => http.close(() => resolve()));
  });
  return `http://127.0.0.1:${(http.address() as AddressInfo).port}/callback`;
}

/** The SDK's OAuth client, with that callback as its redirect URI. */
class AssistantWithCallback extends ScriptedOAuthClient {
  constructor(
    name: string,
    private readonly callback: string,
  ) {
    super(name);
  }
  override get redirectUrl() {
    return this.callback;
  }
  override get clientMetadata() {
    return { ...super.clientMetadata, redirect_uris: [this.callback] };
  }
}

/**
 * An assistant named `name` that asked `mcpUrl` for access: the SDK found no token and holds
 * the authorization URL for the patient's browser, which ends at `callback` with a code.
 */
export async function assistantSigningIn(mcpUrl: string, name: string) {
  const callback = await startCallback();
  const provider = new AssistantWithCallback(name, callback);
  const { transport, authorizationUrl } = await startSignIn(mcpUrl, provider);
  return { callback, provider, transport, authorizationUrl };
}
