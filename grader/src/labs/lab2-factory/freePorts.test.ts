import { describe, it, expect } from 'vitest';
import net from 'node:net';
import { readFileSync } from 'node:fs';
import { isPortTaken, reserveFreePorts } from './freePorts.ts';

const ephemeralStart = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);

const listenOn = (port: number): Promise<net.Server> => new Promise((resolve, reject) => {
  const server = net.createServer();
  server.once('error', reject);
  server.listen(port, () => resolve(server));
});

describe('free ports for factories', () => {
  it('are distinct, below the ephemeral range (where outgoing connections take theirs), and free', async () => {
    const ports = await reserveFreePorts(5);
    expect(new Set(ports).size).toBe(5);
    for (const port of ports) expect(port >= 10_000 && port < ephemeralStart).toBe(true);
    const servers = await Promise.all(ports.map(listenOn));
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  });

  it('recognises a program whose port was taken', () => {
    expect(isPortTaken('server: listen EADDRINUSE: address already in use :::36211')).toBe(true);
    expect(isPortTaken('OSError: [Errno 98] Address already in use')).toBe(true);
    expect(isPortTaken('f1 exited with code 1 before printing its port')).toBe(false);
  });
});
