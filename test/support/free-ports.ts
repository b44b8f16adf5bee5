/**
 * A block of consecutive free loopback ports, so that each test file gives its relays their
 * own bridge port range (HOSPIAI_MCP_PORTS) and files run in parallel without colliding.
 */
import net from 'node:net';

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () =>
      server.close(() => resolve(true)),
    );
  });
}

export async function freePortRange(
  size: number,
): Promise<{ first: number; last: number; env: string }> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const first = 20_000 + Math.floor(Math.random() * 30_000);
    let free = true;
    for (let port = first; port < first + size && free; port++) free = await isFree(port);
    if (free) return { first, last: first + size - 1, env: `${first}-${first + size - 1}` };
  }
  throw new Error(`no ${size} consecutive free ports found`);
}
