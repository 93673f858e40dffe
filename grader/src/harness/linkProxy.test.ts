import net, { type Socket } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { LinkProxy, type Exchange, type LinkEvent, type LinkPolicy, type PolicyChange } from './linkProxy.ts';
import { createRng } from './rng.ts';

// Real sockets on 127.0.0.1 throughout. Waits are on conditions with a bound; the few fixed
// sleeps check that something does NOT happen during a window.

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(2);
  }
}

interface Bank {
  port: number;
  seen: string[];                         // request lines, in the order the target read them
  connections: number;                    // connections the target accepted
  maxConcurrent: number;                  // most connections open at once, counted from accept until the target ends its side
  release(line: string): void;            // answers a request that was held
  close(): Promise<void>;
}

interface BankOptions {
  name?: string;                          // first word of every reply (default 'ok')
  replyDelayMs?: number;                  // wait before answering
  hold?: string[];                        // request lines answered only after release(line)
  splitReply?: boolean;                   // send `NAME ` at once and the rest after the wait
}

/** A lab-1-like target: one line in, one line `NAME LINE` out, then close. */
async function startBank(options: BankOptions = {}): Promise<Bank> {
  const releases = new Map<string, () => void>();
  const held = new Map<string, Promise<void>>();
  for (const line of options.hold ?? []) held.set(line, new Promise((resolve) => releases.set(line, resolve)));
  const sockets = new Set<Socket>();
  let answering = 0;
  const name = options.name ?? 'ok';
  const answer = async (socket: Socket, line: string): Promise<void> => {
    if (options.splitReply) socket.write(`${name} `);
    await held.get(line);
    if (options.replyDelayMs) await sleep(options.replyDelayMs);
    answering--;
    if (!socket.destroyed) socket.end(options.splitReply ? `${line}\n` : `${name} ${line}\n`);
  };
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    bank.connections++;
    bank.maxConcurrent = Math.max(bank.maxConcurrent, ++answering);
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let text = '';
    socket.on('data', (chunk: Buffer) => {
      const hadLine = text.includes('\n');
      text += chunk.toString();
      if (hadLine || !text.includes('\n')) return;
      const line = text.slice(0, text.indexOf('\n'));
      bank.seen.push(line);
      void answer(socket, line);
    });
  });
  const close = async (): Promise<void> => {
    for (const release of releases.values()) release();
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  };
  const bank: Bank = { port: 0, seen: [], connections: 0, maxConcurrent: 0, release: (line) => releases.get(line)?.(), close };
  bank.port = await listen(server);
  cleanups.push(close);
  return bank;
}

/** A byte-stream target: echoes every chunk, ends when the client ends. */
async function startEcho(): Promise<number> {
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    socket.on('error', () => {});
    socket.on('data', (chunk: Buffer) => socket.write(chunk));
    socket.on('end', () => socket.end());
  });
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  return listen(server);
}

async function listen(server: net.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** A port nothing listens on. */
async function deadPort(): Promise<number> {
  const server = net.createServer();
  const port = await listen(server);
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface Answer {
  reply: string;                          // everything received before the socket closed
  error: string | undefined;              // e.g. 'ECONNRESET', 'ECONNREFUSED', 'TIMEOUT'
  ms: number;                             // from connect() to close
}

/** A lab-1 client: sends one line, reads until the connection closes. */
function ask(port: number, line: string, options: { halfClose?: boolean; timeoutMs?: number } = {}): Promise<Answer> {
  return new Promise((resolve) => {
    const started = performance.now();
    const socket = net.connect({ host: '127.0.0.1', port });
    let reply = '';
    let error: string | undefined;
    const timer = setTimeout(() => {
      error = 'TIMEOUT';
      socket.destroy();
    }, options.timeoutMs ?? 5000);
    socket.on('connect', () => {
      socket.write(`${line}\n`);
      if (options.halfClose) socket.end();
    });
    socket.on('data', (chunk: Buffer) => (reply += chunk.toString()));
    socket.on('error', (err: NodeJS.ErrnoException) => (error ??= err.code ?? err.message));
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ reply, error, ms: performance.now() - started });
    });
  });
}

interface Started {
  proxy: LinkProxy;
  events: LinkEvent[];
}

async function startProxy(
  targetPort: number,
  policy: Partial<LinkPolicy> = {},
  options: { seed?: number; onEvent?: (event: LinkEvent, proxy: LinkProxy) => void } = {},
): Promise<Started> {
  const events: LinkEvent[] = [];
  let self: LinkProxy | undefined;
  const proxy = await LinkProxy.start({
    name: 'coord→a',
    target: { host: '127.0.0.1', port: targetPort },
    rng: createRng(options.seed ?? 1),
    policy,
    onEvent: (event) => {
      events.push(event);
      if (self) options.onEvent?.(event, self);
    },
  });
  self = proxy;
  cleanups.push(() => proxy.close());
  return { proxy, events };
}

const accepted = (events: readonly LinkEvent[]): number => events.filter((e) => e.kind === 'accept').length;

/**
 * Connects one client per line, each only after the proxy accepted the previous one and received
 * its line: a known arrival order, and every request sitting at the proxy.
 */
async function askInOrder<const Lines extends readonly string[]>(
  { proxy, events }: Started,
  lines: Lines,
): Promise<{ [K in keyof Lines]: Promise<Answer> }> {
  const answers: Promise<Answer>[] = [];
  for (const line of lines) {
    const id = accepted(events) + 1;
    answers.push(ask(proxy.port, line));
    await until(() => accepted(events) >= id && requestBytes(proxy, id) > line.length, `the proxy to receive '${line}'`);
  }
  return answers as { [K in keyof Lines]: Promise<Answer> }; // one per line, in order
}

/** The exchange with this id; fails the test if the proxy has not accepted it. */
function exchange(proxy: LinkProxy, id: number): Exchange {
  const found = proxy.exchanges()[id - 1];
  if (!found) throw new Error(`no exchange ${id}`);
  return found;
}

/** For conditions polled before the connection may have been accepted. */
const requestBytes = (proxy: LinkProxy, id: number): number => proxy.exchanges()[id - 1]?.request.length ?? 0;

describe('LinkProxy pass-through', () => {
  test.each([false, true])('forwards one exchange and records it (client half-closes: %s)', async (halfClose) => {
    const bank = await startBank();
    const { proxy, events } = await startProxy(bank.port);
    const answer = await ask(proxy.port, 'alice bob 5', { halfClose });
    expect(answer).toMatchObject({ reply: 'ok alice bob 5\n', error: undefined });
    expect(await proxy.whenIdle(2000)).toBe(true);
    const record = exchange(proxy, 1);
    expect(record).toMatchObject({ id: 1, outcome: 'closed' });
    expect(record.request.toString()).toBe('alice bob 5\n');
    expect(record.reply.toString()).toBe('ok alice bob 5\n');
    const times = [record.acceptedAt, record.forwardedAt, record.firstReplyAt, record.closedAt];
    expect(times.every((t) => t !== undefined)).toBe(true);
    expect([...(times as number[])].sort((x, y) => x - y)).toEqual(times);
    const kinds = events.map((e) => (e.kind === 'data' ? `data:${e.direction}` : e.kind));
    expect(kinds).toEqual(['accept', 'forward', 'data:request', 'data:reply', 'close']);
    expect(events.every((e) => e.link === 'coord→a' && e.exchange === 1)).toBe(true);
  });

  test('delayMs holds every chunk at least that long in each direction', async () => {
    const bank = await startBank();
    const { proxy, events } = await startProxy(bank.port, { delayMs: 60 });
    const answer = await ask(proxy.port, 'alice bob 5');
    expect(answer.reply).toBe('ok alice bob 5\n');
    expect(answer.ms).toBeGreaterThanOrEqual(120);
    const data = events.filter((e) => e.kind === 'data');
    expect(data).toHaveLength(2);
    for (const event of data) {
      expect(event.delayMs).toBe(60);
      expect(event.t - event.receivedAt).toBeGreaterThanOrEqual(60);
    }
  });

  test('retarget sends later connections to the new target', async () => {
    const first = await startBank({ name: 'first' });
    const second = await startBank({ name: 'second' });
    const { proxy } = await startProxy(first.port);
    expect((await ask(proxy.port, 'x')).reply).toBe('first x\n');
    proxy.retarget({ host: '127.0.0.1', port: second.port });
    expect((await ask(proxy.port, 'y')).reply).toBe('second y\n');
    expect([first.seen, second.seen]).toEqual([['x'], ['y']]);
  });

  test('a policy with a negative delay or an unknown mode is refused', async () => {
    const bank = await startBank();
    const { proxy } = await startProxy(bank.port);
    expect(() => proxy.setPolicy({ delayMs: -1 })).toThrow(RangeError);
    expect(() => proxy.setPolicy({ mode: 'drop' as LinkPolicy['mode'] })).toThrow(RangeError);
    expect(() => proxy.setPolicy({ dropRate: 1.5 })).toThrow(RangeError);
    expect(proxy.policy()).toEqual({ delayMs: 0, jitterMs: 0, serialize: false, order: 'fifo', holdMs: 0, mode: 'pass', dropRate: 0 });
  });
});

describe('LinkProxy jitter', () => {
  /** The delay scheduled for the first chunk of each direction of 4 sequential exchanges. */
  async function schedule(seed: number): Promise<string[]> {
    const bank = await startBank();
    const { proxy, events } = await startProxy(bank.port, { jitterMs: 40 }, { seed });
    for (const line of ['a', 'b', 'c', 'd']) expect((await ask(proxy.port, line)).reply).toBe(`ok ${line}\n`);
    const firsts = new Map<string, number>();
    for (const event of events) {
      if (event.kind !== 'data') continue;
      const key = `${event.exchange}:${event.direction}`;
      if (!firsts.has(key)) firsts.set(key, event.delayMs);
    }
    expect(firsts.size).toBe(8);
    for (const delay of firsts.values()) expect(delay >= 0 && delay < 40).toBe(true);
    return [...firsts].map(([key, delay]) => `${key}=${delay.toFixed(6)}`);
  }

  test('the same seed gives the same schedule, another seed another', async () => {
    const first = await schedule(42);
    expect(await schedule(42)).toEqual(first);
    expect(await schedule(43)).not.toEqual(first);
  });

  test("one connection's jitter does not depend on other traffic on the link", async () => {
    /** Scheduled delay of exchange 1's first request and reply chunks, with `others` exchanges crossing while it waits. */
    const firstExchange = async (others: number): Promise<number[]> => {
      const bank = await startBank({ hold: ['first'] });
      const { proxy, events } = await startProxy(bank.port, { jitterMs: 40 }, { seed: 9 });
      const first = ask(proxy.port, 'first');
      await until(() => bank.seen.length === 1, 'the target to read the first request');
      for (let i = 0; i < others; i++) expect((await ask(proxy.port, `other ${i}`)).reply).toBe(`ok other ${i}\n`);
      bank.release('first');
      expect((await first).reply).toBe('ok first\n');
      return ['request', 'reply'].map((direction) => {
        const event = events.find((e) => e.kind === 'data' && e.exchange === 1 && e.direction === direction);
        return event?.kind === 'data' ? event.delayMs : NaN;
      });
    };
    const alone = await firstExchange(0);
    expect(alone.every((delay) => delay >= 0 && delay < 40)).toBe(true);
    expect(await firstExchange(3)).toEqual(alone);
  });

  test('jitter keeps the order of the bytes in each direction', async () => {
    const echo = await startEcho();
    const { proxy, events } = await startProxy(echo, { jitterMs: 25 }, { seed: 3 });
    const sent = Array.from({ length: 30 }, (_, i) => `message ${i}\n`);
    const socket = net.connect({ host: '127.0.0.1', port: proxy.port, noDelay: true });
    socket.on('error', () => {});
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
    const closed = new Promise((resolve) => socket.on('close', resolve));
    await new Promise((resolve) => socket.on('connect', resolve));
    for (const message of sent) {
      socket.write(message);
      await sleep(2); // separate chunks, each with its own jitter
    }
    socket.end();
    await closed;
    expect(received).toBe(sent.join(''));
    const requestChunks = events.flatMap((e) => (e.kind === 'data' && e.direction === 'request' ? [e] : []));
    expect(Buffer.concat(requestChunks.map((e) => e.bytes)).toString()).toBe(sent.join(''));
    expect(requestChunks.length).toBeGreaterThan(1);
  });
});

describe('LinkProxy serialize and order', () => {
  test('serialize lets the target see one connection at a time', async () => {
    const bank = await startBank({ replyDelayMs: 15, splitReply: true }); // a turn is not over at the first reply byte
    const { proxy } = await startProxy(bank.port, { serialize: true });
    const lines = ['r1', 'r2', 'r3', 'r4', 'r5'];
    const answers = await Promise.all(lines.map((line) => ask(proxy.port, line)));
    expect(answers.map((a) => a.reply)).toEqual(lines.map((line) => `ok ${line}\n`));
    expect(bank.maxConcurrent).toBe(1);
    expect([...bank.seen].sort()).toEqual(lines);
  });

  test('without serialize every connection goes upstream at once', async () => {
    const lines = ['r1', 'r2', 'r3'];
    const bank = await startBank({ hold: lines });
    const { proxy } = await startProxy(bank.port);
    const answers = lines.map((line) => ask(proxy.port, line));
    await until(() => bank.seen.length === 3, 'the target to read all three requests before answering any');
    for (const line of lines) bank.release(line);
    expect((await Promise.all(answers)).map((a) => a.reply).sort()).toEqual(lines.map((line) => `ok ${line}\n`));
    expect(bank.maxConcurrent).toBe(3);
  });

  test.each([
    ['fifo', ['req 1', 'req 2']],
    ['lifo', ['req 2', 'req 1']],
  ] as const)('holdMs: a second connection is released at once, by order %s', async (order, expected) => {
    const bank = await startBank();
    const started = await startProxy(bank.port, { serialize: true, holdMs: 5000, order });
    const answers = await askInOrder(started, ['req 1', 'req 2']);
    expect((await Promise.all(answers)).map((a) => a.error)).toEqual([undefined, undefined]);
    expect(bank.seen).toEqual(expected);
    const [first, second] = started.proxy.exchanges().map((e) => ({ accepted: e.acceptedAt, forwarded: e.forwardedAt ?? Infinity }));
    const releasedAfterSecondArrived = Math.min(first?.forwarded ?? Infinity, second?.forwarded ?? Infinity) - (second?.accepted ?? 0);
    expect(releasedAfterSecondArrived).toBeGreaterThanOrEqual(0);
    expect(releasedAfterSecondArrived).toBeLessThan(1000); // at once, not when the 5 s hold expires
  });

  test('holdMs: a lone connection goes when the hold expires', async () => {
    const bank = await startBank();
    const { proxy } = await startProxy(bank.port, { serialize: true, holdMs: 100, order: 'lifo' });
    expect((await ask(proxy.port, 'alone')).reply).toBe('ok alone\n');
    const record = exchange(proxy, 1);
    const held = (record.forwardedAt ?? 0) - record.acceptedAt;
    expect(held).toBeGreaterThanOrEqual(95); // timers may fire a fraction of a millisecond early
    expect(held).toBeLessThan(1000);
  });

  /** Four clients queue, in a known order, behind a request the target holds; returns the order the target saw. */
  async function queuedOrder(order: LinkPolicy['order'], seed = 1): Promise<string[]> {
    const bank = await startBank({ hold: ['req 0'] });
    const started = await startProxy(bank.port, { serialize: true, order }, { seed });
    const blocker = ask(started.proxy.port, 'req 0');
    await until(() => bank.seen.length === 1, 'the target to read req 0');
    const answers = await askInOrder(started, ['req 1', 'req 2', 'req 3', 'req 4']);
    expect(started.proxy.exchanges().map((e) => e.request.toString())).toEqual([0, 1, 2, 3, 4].map((i) => `req ${i}\n`));
    expect(bank.seen).toEqual(['req 0']); // the others wait at the proxy, their bytes buffered there
    bank.release('req 0');
    const replies = (await Promise.all([blocker, ...answers])).map((a) => a.reply);
    expect(replies).toEqual([0, 1, 2, 3, 4].map((i) => `ok req ${i}\n`));
    return bank.seen.slice(1);
  }

  test('queued connections go oldest first under fifo', async () => {
    expect(await queuedOrder('fifo')).toEqual(['req 1', 'req 2', 'req 3', 'req 4']);
  });

  test('queued connections go newest first under lifo', async () => {
    expect(await queuedOrder('lifo')).toEqual(['req 4', 'req 3', 'req 2', 'req 1']);
  });

  test('order random is reproducible for a seed and differs across seeds', async () => {
    const first = await queuedOrder('random', 7);
    expect(await queuedOrder('random', 7)).toEqual(first);
    expect([...first].sort()).toEqual(['req 1', 'req 2', 'req 3', 'req 4']);
    const orders = new Set([first.join(',')]);
    for (const seed of [1, 2, 3, 4]) orders.add((await queuedOrder('random', seed)).join(','));
    expect(orders.size).toBeGreaterThan(1);
  });
});

describe('LinkProxy faults', () => {
  test('blackhole holds the request until the link passes again', async () => {
    const bank = await startBank();
    const { proxy, events } = await startProxy(bank.port, { mode: 'blackhole' });
    const answer = ask(proxy.port, 'held');
    await until(() => requestBytes(proxy, 1) === 'held\n'.length, 'the proxy to receive the request');
    await sleep(100); // a window in which nothing may cross
    expect(bank.connections).toBe(0);
    expect(exchange(proxy, 1).forwardedAt).toBeUndefined();
    proxy.setPolicy({ mode: 'pass' });
    expect((await answer).reply).toBe('ok held\n');
    const crossed = events.filter((e) => e.kind === 'data').map((e) => e.t - exchange(proxy, 1).acceptedAt);
    expect(crossed.map((ms) => ms >= 90)).toEqual([true, true]); // not before the heal (timers may fire a little early)
  });

  test('blackhole holds the reply until the link passes again', async () => {
    const bank = await startBank({ hold: ['late'] });
    const { proxy } = await startProxy(bank.port);
    let replied = false;
    const answer = ask(proxy.port, 'late').then((a) => ((replied = true), a));
    await until(() => bank.seen.length === 1, 'the target to read the request');
    proxy.setPolicy({ mode: 'blackhole' });
    bank.release('late');
    await until(() => exchange(proxy, 1).reply.length > 0, 'the proxy to receive the reply');
    await sleep(100); // a window in which nothing may cross
    expect(replied).toBe(false);
    proxy.setPolicy({ mode: 'pass' });
    expect((await answer).reply).toBe('ok late\n');
    expect(await proxy.whenIdle(2000)).toBe(true);
    expect(exchange(proxy, 1).outcome).toBe('closed');
  });

  test('tells its policy listener of each change that changed something', async () => {
    const changes: PolicyChange[] = [];
    const proxy = await LinkProxy.start({ name: 'coord→a', target: { host: '127.0.0.1', port: 1 }, rng: createRng(1), onPolicyChange: (change) => changes.push(change) });
    cleanups.push(() => proxy.close());
    proxy.setPolicy({ mode: 'blackhole' });
    proxy.setPolicy({ mode: 'blackhole' });
    proxy.setPolicy({ mode: 'pass', delayMs: 5 });
    expect(changes.map((change) => [change.link, change.before.mode, change.after.mode, change.after.delayMs])).toEqual([
      ['coord→a', 'pass', 'blackhole', 0],
      ['coord→a', 'blackhole', 'pass', 5],
    ]);
  });

  test('reset mode resets new connections without reaching the target', async () => {
    const bank = await startBank();
    const { proxy, events } = await startProxy(bank.port, { mode: 'reset' });
    const answer = await ask(proxy.port, 'refuse me');
    expect(answer.reply).toBe('');
    expect(answer.error === undefined || answer.error === 'ECONNRESET').toBe(true);
    expect(answer.ms).toBeLessThan(1000);
    expect(await proxy.whenIdle(2000)).toBe(true);
    expect(bank.connections).toBe(0);
    expect(exchange(proxy, 1)).toMatchObject({ outcome: 'reset', resetBy: 'proxy' });
    expect(events.map((e) => e.kind)).toEqual(['accept', 'reset']);
  });

  test('dropRate drops a seeded, reproducible share of connections', async () => {
    const dropped = async (seed: number): Promise<number[]> => {
      const bank = await startBank();
      const { proxy } = await startProxy(bank.port, { dropRate: 0.5 }, { seed });
      for (let i = 0; i < 12; i++) await ask(proxy.port, `t${i}`);
      expect(await proxy.whenIdle(2000)).toBe(true);
      return proxy.exchanges().filter((e) => e.outcome === 'reset').map((e) => e.id);
    };
    const first = await dropped(7);
    expect(first.length).toBeGreaterThan(0);
    expect(first.length).toBeLessThan(12);
    expect(await dropped(7)).toEqual(first);
  });

  test('reset mode resets open connections at once', async () => {
    const bank = await startBank({ hold: ['stuck'] });
    const { proxy } = await startProxy(bank.port);
    const answer = ask(proxy.port, 'stuck');
    await until(() => bank.seen.length === 1, 'the target to read the request');
    const resetAt = performance.now();
    proxy.setPolicy({ mode: 'reset' });
    const result = await answer;
    expect(result).toMatchObject({ reply: '', error: 'ECONNRESET' });
    expect(performance.now() - resetAt).toBeLessThan(1000);
    expect(await proxy.whenIdle(2000)).toBe(true);
    expect(exchange(proxy, 1)).toMatchObject({ outcome: 'reset', resetBy: 'proxy' });
  });

  test('an unreachable target resets the client at once and the next waiting connection still goes', async () => {
    const bank = await startBank();
    // When the first connection is refused, the "restarted" target comes back: the second must reach it.
    const retargetOnRefused = (event: LinkEvent, proxy: LinkProxy): void => {
      if (event.kind === 'refused') proxy.retarget({ host: '127.0.0.1', port: bank.port });
    };
    const started = await startProxy(await deadPort(), { serialize: true, holdMs: 5000 }, { onEvent: retargetOnRefused });
    const [first, second] = await askInOrder(started, ['req 1', 'req 2']);
    const refused = await first;
    expect(refused).toMatchObject({ reply: '', error: 'ECONNRESET' });
    expect(refused.ms).toBeLessThan(1000);
    expect((await second).reply).toBe('ok req 2\n');
    expect(await started.proxy.whenIdle(2000)).toBe(true);
    expect(started.proxy.exchanges().map((e) => e.outcome)).toEqual(['refused', 'closed']);
  });

  test('a client that leaves before its turn is dropped from the queue', async () => {
    const bank = await startBank({ hold: ['req 0'] });
    const started = await startProxy(bank.port, { serialize: true });
    const blocker = ask(started.proxy.port, 'req 0');
    await until(() => bank.seen.length === 1, 'the target to read req 0');
    const leaver = net.connect({ host: '127.0.0.1', port: started.proxy.port });
    leaver.on('error', () => {});
    leaver.on('connect', () => leaver.write('req 1\n'));
    await until(() => requestBytes(started.proxy, 2) > 0, 'the proxy to receive req 1');
    leaver.resetAndDestroy();
    await until(() => exchange(started.proxy, 2).outcome === 'reset', 'the proxy to drop req 1');
    const [next] = await askInOrder(started, ['req 2']);
    bank.release('req 0');
    expect((await blocker).reply).toBe('ok req 0\n');
    expect((await next).reply).toBe('ok req 2\n');
    expect(bank.seen).toEqual(['req 0', 'req 2']);
    expect(exchange(started.proxy, 2)).toMatchObject({ outcome: 'reset', resetBy: 'client' });
    expect(exchange(started.proxy, 2).forwardedAt).toBeUndefined();
  });
});

describe('LinkProxy lifecycle', () => {
  test('whenIdle is true at once when idle, false when the bound passes first, true once the exchange ends', async () => {
    const bank = await startBank({ hold: ['slow'] });
    const { proxy } = await startProxy(bank.port);
    expect(await proxy.whenIdle(0)).toBe(true);
    const answer = ask(proxy.port, 'slow');
    await until(() => bank.seen.length === 1, 'the target to read the request');
    expect(proxy.inFlight()).toBe(1);
    expect(await proxy.whenIdle(30)).toBe(false);
    const idle = proxy.whenIdle(3000);
    bank.release('slow');
    expect(await idle).toBe(true);
    expect(proxy.inFlight()).toBe(0);
    expect((await answer).reply).toBe('ok slow\n');
  });

  test('close resets active, waiting, held and delayed connections and leaves nothing running', async () => {
    const before = await handleCounts();
    const bank = await startBank({ hold: ['active'] });
    const busy = await startProxy(bank.port, { serialize: true });
    const held = await startProxy(bank.port, { serialize: true, holdMs: 60_000 }); // a hold timer running
    const slow = await startProxy(bank.port, { delayMs: 60_000 }); // a chunk timer running
    const active = ask(busy.proxy.port, 'active');
    await until(() => bank.seen.length === 1, 'the target to read the active request');
    const [waiting] = await askInOrder(busy, ['waiting']);
    const [lone] = await askInOrder(held, ['lone']);
    const [delayed] = await askInOrder(slow, ['delayed']);
    await until(() => requestBytes(slow.proxy, 1) > 0 && bank.connections === 2, 'the delayed request to be upstream-bound');
    const proxies = [busy.proxy, held.proxy, slow.proxy];
    await Promise.all([busy.proxy.close(), ...proxies.map((proxy) => proxy.close())]);
    const answers = await Promise.all([active, waiting, lone, delayed]);
    expect(answers.map((a) => a.error)).toEqual(['ECONNRESET', 'ECONNRESET', 'ECONNRESET', 'ECONNRESET']);
    expect(proxies.flatMap((proxy) => proxy.exchanges().map((e) => e.outcome))).toEqual(['reset', 'reset', 'reset', 'reset']);
    expect(proxies.map((proxy) => proxy.inFlight())).toEqual([0, 0, 0]);
    expect((await ask(busy.proxy.port, 'anyone?')).error).toBe('ECONNREFUSED'); // no longer listening
    await bank.close();
    // At most as many as before: the test runner's own timers may have ended meanwhile, ours must all be gone.
    const after = await handleCounts();
    for (const kind of HANDLE_KINDS) expect(`${kind}: ${after[kind] ?? 0}`).toBe(`${kind}: ${Math.min(after[kind] ?? 0, before[kind] ?? 0)}`);
  });
});

const HANDLE_KINDS = ['TCPSocketWrap', 'TCPServerWrap', 'Timeout'] as const;

/** Sockets, servers and timers alive in this process, by kind. */
async function handleCounts(): Promise<Record<string, number>> {
  // A closed handle leaves the list only after libuv's close callback, on a later turn of the loop.
  for (let turn = 0; turn < 3; turn++) await new Promise((resolve) => setImmediate(resolve));
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) {
    if ((HANDLE_KINDS as readonly string[]).includes(kind)) counts[kind] = (counts[kind] ?? 0) + 1;
  }
  return counts;
}
