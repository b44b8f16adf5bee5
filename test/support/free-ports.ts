/**
 * A block of consecutive free loopback ports, so that each test file gives its relays their
 * own bridge port range (HOSPIAI_MCP_PORTS) and files run in parallel without colliding.
 *
 * Files running at once never draw from the same ports: each vitest worker (VITEST_POOL_ID) has
 * its own lane of 250 ports, and each concurrent vitest run its own set of four lanes
 * (HOSPIAI_TEST_PORT_LANE 0–11: set by .ci/run for the Node 22 and 24 runs, and by hand for
 * runs in other worktrees of the same machine). Every lane lies below
 * the kernel's ephemeral range (32768+), where port-0 servers and outgoing connections would
 * otherwise take a port between the check here and the relay binding it.
 */
import net from 'node:net';

const FIRST_PORT = 20_000;
const LANE_SIZE = 250;
const LANES = 48; // 20000–31999
const LANES_PER_RUN = 4;

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () =>
      server.close(() => resolve(true)),
    );
  });
}

/** This worker's lane: [first, first + LANE_SIZE). */
export function portLane(env: NodeJS.ProcessEnv = process.env): { first: number; size: number } {
  const run = Number(env.HOSPIAI_TEST_PORT_LANE ?? 0) || 0;
  const worker = Math.max(1, Number(env.VITEST_POOL_ID ?? 1) || 1);
  const lane = (run * LANES_PER_RUN + ((worker - 1) % LANES_PER_RUN)) % LANES;
  return { first: FIRST_PORT + lane * LANE_SIZE, size: LANE_SIZE };
}

// Handed out in turn from a random point of the lane, so that ranges given to one file never
// overlap, even before their relays bind them.
let cursor: number | null = null;

export async function freePortRange(
  size: number,
): Promise<{ first: number; last: number; env: string }> {
  const lane = portLane();
  cursor ??= Math.floor(Math.random() * lane.size);
  for (let attempt = 0; attempt < 50; attempt++) {
    if (cursor + size > lane.size) cursor = 0;
    const first = lane.first + cursor;
    cursor += size;
    let free = true;
    for (let port = first; port < first + size && free; port++) free = await isFree(port);
    if (free) return { first, last: first + size - 1, env: `${first}-${first + size - 1}` };
  }
  throw new Error(
    `no ${size} consecutive free ports found in ${lane.first}–${lane.first + lane.size - 1}`,
  );
}
