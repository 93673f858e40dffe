/**
 * Ports free right now, for factories that must be told each other's ports before they start.
 * A port handed out by the OS for `listen(0)` comes from the ephemeral range, where every outgoing
 * connection of the machine also takes its local port: released and bound again a moment later, it
 * is often taken meanwhile. So the ports are picked at random below that range, where only explicit
 * binds compete, and checked by binding them all at once. A clash is still possible (another
 * program binding the same port in between), so callers retry on EADDRINUSE (`isPortTaken`).
 */
import net from 'node:net';
import { readFileSync } from 'node:fs';

const LOWEST = 10_000;
const ATTEMPTS = 20;

export async function reserveFreePorts(count: number): Promise<number[]> {
  const highest = ephemeralRangeStart() - 1;
  for (let attempt = 0; attempt < ATTEMPTS && highest - LOWEST > count * 100; attempt++) {
    const candidates = new Set<number>();
    while (candidates.size < count) candidates.add(LOWEST + Math.floor(Math.random() * (highest - LOWEST)));
    const bound = await Promise.all([...candidates].map(tryBind));
    await Promise.all(bound.map((server) => server && new Promise<void>((resolve) => server.close(() => resolve()))));
    if (bound.every(Boolean)) return [...candidates];
  }
  return osChosenPorts(count);
}

/** True when a program's failure says its port was in use. */
export const isPortTaken = (message: string): boolean => /EADDRINUSE|address.{0,20}in use|port.{0,40}in use/i.test(message);

function ephemeralRangeStart(): number {
  try {
    return Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]) || 32_768;
  } catch {
    return 32_768;
  }
}

/** Listens on `port` on every address, as a server that names no host does; undefined when taken. */
function tryBind(port: number): Promise<net.Server | undefined> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(undefined));
    server.listen(port, () => resolve(server));
  });
}

/** The fallback where no range is left below the ephemeral one: ports the OS picks, bound at once so they differ. */
async function osChosenPorts(count: number): Promise<number[]> {
  const servers = await Promise.all(Array.from({ length: count }, () => tryBind(0)));
  const ports = servers.map((server) => (server?.address() as net.AddressInfo).port);
  await Promise.all(servers.map((server) => new Promise<void>((resolve) => server?.close(() => resolve()))));
  return ports;
}
