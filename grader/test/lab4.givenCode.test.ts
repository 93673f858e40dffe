// Lab 4's given code (starter/lab4-kv) in process, then the programs as real processes: servers.txt
// errors, the protocol's limits, three solution nodes through crashes and restarts, the client's
// choice of node, and the starter's "not implemented" answers.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KIT_ROOT, TSX_LOADER } from '../src/kitPaths.ts';
import { reserveFreePorts } from '../src/labs/lab2-factory/freePorts.ts';
import { hostList, parseClientFlags, UsageError } from '../../starter/lab4-kv/clientFlags.ts';
import { DiskState, DiskStateError } from '../../starter/lab4-kv/diskState.ts';
import { KvMap } from '../../starter/lab4-kv/kvMap.ts';
import { parseTarget, targetOf } from '../../starter/lab4-kv/kvProtocol.ts';
import { PeerError, PeerLink } from '../../starter/lab4-kv/peerLink.ts';
import { RaftLog } from '../../starter/lab4-kv/raftLog.ts';
import { NotLeaderError, UnavailableError, type Proposer, type RaftState } from '../../starter/lab4-kv/raftState.ts';
import { RequestRouter } from '../../starter/lab4-kv/requestRouter.ts';
import { parseServers, ServersFileError } from '../../starter/lab4-kv/serversFile.ts';

type Lab = 'starter' | 'solutions';

const cleanups: (() => void)[] = []; // run after each test, whatever happened
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A temporary folder, removed after the test; with `servers`, holding that servers.txt. */
function folder(servers?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'lab4-given-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  if (servers !== undefined) writeFileSync(join(dir, 'servers.txt'), servers);
  return dir;
}

interface Program {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
}

/** Runs `file` of a lab4-kv folder with tsx in `cwd`; SIGKILLed after the test if still running. */
function run(lab: Lab, file: string, args: string[], cwd: string): Program {
  const child = spawn(process.execPath, ['--import', TSX_LOADER, join(KIT_ROOT, lab, 'lab4-kv', file), ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  cleanups.push(() => child.kill('SIGKILL'));
  return { child, stdout: () => stdout, stderr: () => stderr };
}

async function finished(program: Program): Promise<{ code: number | null; stdout: string; stderr: string }> {
  if (program.child.exitCode === null) await once(program.child, 'exit');
  await sleep(20); // the pipes' last chunks
  return { code: program.child.exitCode, stdout: program.stdout(), stderr: program.stderr() };
}

/** Polls `probe` until it returns something; throws past `ms`. */
async function until<T>(probe: () => Promise<T | undefined> | T | undefined, what: string, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(50);
  }
}

interface KvNode extends Program {
  port: number;
  dir: string;
}

/** Starts kvServer in `dir` and waits for its `Listening on port N ...` line. */
async function startNode(lab: Lab, dir: string): Promise<KvNode> {
  const program = run(lab, 'kvServer.ts', [], dir);
  const line = await until(() => {
    if (program.child.exitCode !== null) throw new Error(`kvServer exited with ${program.child.exitCode}: ${program.stderr()}`);
    return /^Listening on port (\d+) \.\.\.\n/.exec(program.stdout()) ?? undefined;
  }, 'kvServer to listen', 30_000);
  return { ...program, port: Number(line[1]), dir };
}

async function kill(node: KvNode): Promise<void> {
  if (node.child.exitCode === null && node.child.signalCode === null) {
    node.child.kill('SIGKILL');
    await once(node.child, 'exit');
  }
}

type Answer = { status: number; body: string; type: string } | { failed: string };

/** `GET target` on a fresh connection, as the grader's clients send it. */
function get(port: number, target: string, method = 'GET', timeoutMs = 5000): Promise<Answer> {
  return new Promise((resolve) => {
    const request = http.request({ host: '127.0.0.1', port, path: target, method, agent: false, timeout: timeoutMs }, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body, type: String(response.headers['content-type']) }));
    });
    request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on('error', (error) => resolve({ failed: error.message }));
    request.end();
  });
}

const set = (key: string, value: string): string => targetOf({ kind: 'set', key, value });

/** The body of the first 200 answer to `target` at `port`, retried while the node answers 500 or not at all. */
const answered = (port: number, target: string, what: string, ms?: number): Promise<string> =>
  until(async () => {
    const answer = await get(port, target);
    return 'status' in answer && answer.status === 200 ? answer.body : undefined;
  }, what, ms);

/** An HTTP server that answers `POST /peer/KIND` with `link`, as a node does; closed after the test. */
async function servePeerLink(link: PeerLink): Promise<number> {
  const server = http.createServer((request, response) => {
    let text = '';
    request.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
    request.on('end', () => void link.serve(request.url?.slice('/peer/'.length) ?? '', text).then(({ status, body }) => response.writeHead(status).end(body)));
  });
  cleanups.push(() => server.close());
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as { port: number }).port;
}

describe('given code, in process', () => {
  it('reads servers.txt: this node first, then its peers, with comments and blank lines', () => {
    const text = '# me\n127.0.0.1:0\n\n  localhost:7002   # a peer\n[::1]:7003\n';
    expect(parseServers(text)).toEqual({ self: { host: '127.0.0.1', port: 0 }, peers: [{ host: 'localhost', port: 7002 }, { host: '::1', port: 7003 }] });
  });

  it.each([
    ['127.0.0.1:0\nnonsense\n', /^s:2: expected HOST:PORT, found "nonsense"$/],
    ['127.0.0.1 7001\n', /^s:1: expected HOST:PORT/],
    ['127.0.0.1:70000\n', /^s:1: the port 70000 is not a number from 0 to 65535$/],
    ['127.0.0.1:0\n127.0.0.1:0\n', /^s:2: a peer cannot be at port 0/],
    ['h:1\nh:2\n# x\nh:2\n', /^s:4: the peer h:2 is listed twice$/],
    ['# nothing\n\n', /^s: lists no address/],
  ])('refuses servers.txt %j with a message naming the line', (text, message) => {
    expect(() => parseServers(text, 's')).toThrow(ServersFileError);
    expect(() => parseServers(text, 's')).toThrow(message);
  });

  it('parses targets with the seed limits, percent-decoded, split at the first =', () => {
    expect(parseTarget('/a%20b')).toMatchObject({ problem: expect.stringContaining('not allowed') });
    expect(parseTarget('/k=v=w%25')).toEqual({ kind: 'set', key: 'k', value: 'v=w%' });
    expect(parseTarget('/k=')).toEqual({ kind: 'set', key: 'k', value: '' });
    expect(parseTarget(`/${'k'.repeat(128)}`)).toEqual({ kind: 'get', key: 'k'.repeat(128) });
    for (const bad of ['/', `/${'k'.repeat(129)}`, '/a%5B', '/a]', `/k=${'v'.repeat(2049)}`, '/k=a[', '/k=NIL', '/%E0%A4%A', 'http://x/k']) {
      expect(parseTarget(bad), bad).toHaveProperty('problem');
    }
    expect(parseTarget(targetOf({ kind: 'set', key: 'a/b?c#d', value: '%x=y' }))).toEqual({ kind: 'set', key: 'a/b?c#d', value: '%x=y' });
  });

  it('swaps values in the key-value map: a set returns the old value, a get the current one', () => {
    const kv = new KvMap();
    expect(kv.apply({ kind: 'get', key: 'a' })).toBeNull();
    expect(kv.apply({ kind: 'set', key: 'a', value: '1' })).toBeNull();
    expect(kv.apply({ kind: 'set', key: 'a', value: '2' })).toBe('1');
    expect(kv.apply({ kind: 'noop' })).toBeNull();
    expect(kv.apply({ kind: 'get', key: 'a' })).toBe('2');
    expect(kv.size).toBe(1);
  });

  it('keeps the node ID, term, vote and log in ./data; drops a last line a crash cut short', () => {
    const dir = join(folder(), 'data');
    const disk = new DiskState(dir);
    disk.saveMeta({ currentTerm: 3, votedFor: disk.nodeId });
    const log = new RaftLog(disk);
    log.append([1, 2, 2, 3].map((term) => ({ term, command: { kind: 'set' as const, key: 'k', value: `t${term}` } })));
    log.truncateFrom(3);
    log.append([{ term: 3, command: { kind: 'noop' } }]);
    appendFileSync(join(dir, 'log.jsonl'), '{"term":3,"comm'); // a write the SIGKILL cut short

    const again = new DiskState(dir);
    expect(again.nodeId).toBe(disk.nodeId);
    expect(again.loadMeta()).toEqual({ currentTerm: 3, votedFor: disk.nodeId });
    const reloaded = new RaftLog(again);
    expect([reloaded.lastIndex, reloaded.lastTerm, reloaded.termAt(0), reloaded.termAt(2), reloaded.termAt(4)]).toEqual([3, 3, 0, 2, undefined]);
    expect(reloaded.slice(2, 5).map((entry) => entry.term)).toEqual([2, 3]);
    expect(new DiskState(join(folder(), 'data')).loadMeta()).toEqual({ currentTerm: 0, votedFor: null });

    writeFileSync(join(dir, 'log.jsonl'), '{"term":1,"command":{"kind":"noop"}}\nnot json\n');
    expect(() => new RaftLog(again)).toThrow(DiskStateError);
    expect(() => new RaftLog(again)).toThrow(/log\.jsonl:2: not a log entry; remove the data folder/);
  });

  it('sends each peer message on a connection of its own, learns who answers, and times out', async () => {
    const connections: number[] = [];
    const servers = [new PeerLink('aaaaaaaaaaaa', []), new PeerLink('bbbbbbbbbbbb', [])].map((link, index) => {
      link.handle('echo', (body) => ({ echoed: body.n }));
      link.handle('fail', () => {
        throw new Error('refused on purpose');
      });
      const server = http.createServer((request, response) => {
        let text = '';
        request.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        request.on('end', () => void link.serve(request.url?.slice('/peer/'.length) ?? '', text).then(({ status, body }) => response.writeHead(status).end(body)));
      });
      server.on('connection', () => (connections[index] = (connections[index] ?? 0) + 1));
      cleanups.push(() => server.close());
      return server;
    });
    const silent = http.createServer(() => undefined); // accepts, never answers: a blackholed link
    cleanups.push(() => silent.closeAllConnections());
    cleanups.push(() => silent.close());
    const ports = await Promise.all([...servers, silent].map(async (server) => (server.listen(0, '127.0.0.1'), await once(server, 'listening'), (server.address() as { port: number }).port)));
    const link = new PeerLink('cccccccccccc', ports.map((port) => ({ host: '127.0.0.1', port })));

    expect(link.indexOf('bbbbbbbbbbbb')).toBeUndefined();
    expect(await link.send(1, 'echo', { n: 1 })).toEqual({ echoed: 1, from: 'bbbbbbbbbbbb' });
    expect(await link.send(1, 'echo', { n: 2 })).toEqual({ echoed: 2, from: 'bbbbbbbbbbbb' });
    expect(await link.send(0, 'echo', { n: 3 })).toEqual({ echoed: 3, from: 'aaaaaaaaaaaa' });
    expect([link.indexOf('aaaaaaaaaaaa'), link.indexOf('bbbbbbbbbbbb')]).toEqual([0, 1]);
    expect(connections).toEqual([1, 2]);
    await expect(link.send(0, 'fail', {})).rejects.toThrow('peer 0, fail: refused on purpose');
    await expect(link.send(0, 'nope', {})).rejects.toThrow(/no peer message is called "nope"/);
    const started = Date.now();
    await expect(link.send(2, 'echo', {}, 200)).rejects.toThrow(new PeerError('peer 2 did not answer echo within 200 ms'));
    expect(Date.now() - started).toBeLessThan(1000);
    const [nobody] = await reserveFreePorts(1);
    await expect(new PeerLink('dddddddddddd', [{ host: '127.0.0.1', port: nobody as number }]).send(0, 'echo', {})).rejects.toThrow(/ECONNREFUSED/);
  });

  it('locates a node among its peers by a hello to each, at once, past one that never answers', async () => {
    const silent = http.createServer(() => undefined); // a stopped node: takes the connection, never answers
    cleanups.push(() => silent.closeAllConnections());
    cleanups.push(() => silent.close());
    silent.listen(0, '127.0.0.1');
    await once(silent, 'listening');
    const silentPort = (silent.address() as { port: number }).port;
    const [otherPort, leaderPort] = await Promise.all([new PeerLink('eeeeeeeeeeee', []), new PeerLink('ffffffffffff', [])].map(servePeerLink));
    const link = new PeerLink('aaaaaaaaaaaa', [silentPort, otherPort as number, leaderPort as number].map((port) => ({ host: '127.0.0.1', port })));
    const started = Date.now();
    expect(await link.locate('ffffffffffff', 2000)).toBe(2);
    expect(Date.now() - started).toBeLessThan(1000); // not held up by the silent one
    expect([link.indexOf('eeeeeeeeeeee'), link.indexOf('ffffffffffff')]).toEqual([1, 2]);
    expect(await link.locate('ffffffffffff', 2000)).toBe(2); // known now
    expect(await link.locate('999999999999', 300)).toBeUndefined(); // nobody answers as it: after the bound
  });

  it('hands a request on to the next peer only when the last one surely did not get it', async () => {
    let carriedOut = 0;
    const leaderLink = new PeerLink('bbbbbbbbbbbb', []);
    leaderLink.handle('forward', () => ((carriedOut += 1), { outcome: 'done', old: 'old' }));
    const leaderPort = await servePeerLink(leaderLink);
    const dying = http.createServer((request) => request.socket.destroy()); // gets the forward, dies before it answers
    cleanups.push(() => dying.close());
    dying.listen(0, '127.0.0.1');
    await once(dying, 'listening');
    const dyingPort = (dying.address() as { port: number }).port;
    const [nobody] = await reserveFreePorts(1);
    const notLeader: Proposer = { propose: () => Promise.reject(new NotLeaderError(null)) };
    const follower = (ports: number[]): RequestRouter => {
      const peers = new PeerLink('aaaaaaaaaaaa', ports.map((port) => ({ host: '127.0.0.1', port })));
      return new RequestRouter({ peers } as RaftState, notLeader); // the router only uses the peers of the state
    };
    const request = { kind: 'set', key: 'k', value: 'v' } as const;

    await expect(follower([nobody as number, leaderPort]).submit(request)).resolves.toBe('old'); // refused: never got it
    expect(carriedOut).toBe(1);
    const lost = follower([dyingPort, leaderPort]).submit(request);
    await expect(lost).rejects.toThrow(UnavailableError);
    await expect(lost).rejects.toThrow(/handed to peer 0, which did not answer .*; it may or may not have been carried out/);
    expect(carriedOut).toBe(1); // not handed to peer 1 as well
  });

  it('reads the client flags, then adds servers.txt, each address once', () => {
    const flags = parseClientFlags(['-h', '127.0.0.1:1,h:2', '-k', 'k', '-v', 'v']);
    expect(flags).toEqual({ hosts: [{ host: '127.0.0.1', port: 1 }, { host: 'h', port: 2 }], request: { kind: 'set', key: 'k', value: 'v' } });
    expect(parseClientFlags(['-k', 'k', '-h', 'h:2']).request).toEqual({ kind: 'get', key: 'k' });
    for (const argv of [['-k', 'k'], ['-h', 'h:1'], ['-h', 'h', '-k', 'k'], ['-h', 'h:1', '-k', 'k', 'extra'], ['-x']]) {
      expect(() => parseClientFlags(argv), argv.join(' ')).toThrow(UsageError);
    }
    const dir = folder('127.0.0.1:0\nh:2\n# c\nh:3\n');
    expect(hostList(flags.hosts, join(dir, 'servers.txt'))).toEqual([{ host: '127.0.0.1', port: 1 }, { host: 'h', port: 2 }, { host: 'h', port: 3 }]);
    expect(hostList(flags.hosts, join(dir, 'absent.txt'))).toEqual(flags.hosts);
  });
});

describe('the reference solution, as processes', () => {
  it('kvServer refuses a bad servers.txt with one line on stderr and exit 1', async () => {
    const cases = [
      { dir: folder('127.0.0.1:0\nnonsense\n'), message: 'kvServer: servers.txt:2: expected HOST:PORT, found "nonsense"\n' },
      { dir: folder(), message: expect.stringMatching(/^kvServer: cannot read servers\.txt: ENOENT[^\n]*\n$/) },
    ];
    const runs = await Promise.all(cases.map(({ dir }) => finished(run('solutions', 'kvServer.ts', [], dir))));
    for (const [index, result] of runs.entries()) expect(result).toEqual({ code: 1, stdout: '', stderr: cases[index]?.message });
  });

  it('one node: answers KEY=OLD, refuses requests past the limits with 400 and stores nothing, and keeps its data over a SIGKILL', async () => {
    const dir = folder('127.0.0.1:0\n');
    const node = await startNode('solutions', dir);
    expect(await answered(node.port, '/fresh', 'the first answer')).toBe('fresh=NIL');
    expect(await get(node.port, set('k', 'one'))).toEqual({ status: 200, body: 'k=NIL', type: 'text/plain' });
    expect(await get(node.port, set('k', 'two'))).toMatchObject({ status: 200, body: 'k=one' });
    const long = 'v'.repeat(2048);
    expect(await get(node.port, set('long', long))).toMatchObject({ status: 200, body: 'long=NIL' });
    expect(await get(node.port, '/long')).toMatchObject({ status: 200, body: `long=${long}` });
    const refused = [`/${'k'.repeat(129)}=x`, '/k%5B=x', '/k=a%5Db', `/k=${'v'.repeat(2049)}`, '/k=NIL', '/k=a%20b', '/', '/k=%ZZ'];
    for (const target of refused) {
      const answer = await get(node.port, target);
      expect(answer, target).toMatchObject({ status: 400, body: expect.stringMatching(/^[^\n]+$/) });
    }
    expect(await get(node.port, '/k=x', 'POST')).toMatchObject({ status: 400 });
    expect(await get(node.port, '/k=x', 'PUT')).toMatchObject({ status: 400 });
    expect(await get(node.port, '/k')).toMatchObject({ status: 200, body: 'k=two' }); // nothing was stored

    const id = readFileSync(join(dir, 'data', 'node-id'), 'utf8');
    await kill(node);
    const again = await startNode('solutions', dir);
    expect(await answered(again.port, '/k', 'the restarted node')).toBe('k=two');
    expect(readFileSync(join(dir, 'data', 'node-id'), 'utf8')).toBe(id);
  });

  it('three nodes: a set through one is seen through another; each node killed in turn, the others answer; all restarted keep the data', async () => {
    const ports = await reserveFreePorts(3);
    const line = (id: number): string => `127.0.0.1:${ports[id]}`;
    const dirs = ports.map((_, me) => folder([line(me), ...[0, 1, 2].filter((id) => id !== me).map(line)].join('\n') + '\n'));
    const nodes = await Promise.all(dirs.map((dir) => startNode('solutions', dir)));
    expect(nodes.map((node) => node.port)).toEqual(ports);
    await answered(ports[0] as number, '/ready', 'the cluster to elect a leader');
    expect(await answered(ports[1] as number, set('x', 'v0'), 'a set through node 1')).toBe('x=NIL');
    expect(await get(ports[2] as number, '/x')).toMatchObject({ status: 200, body: 'x=v0' });

    let value = 'v0';
    for (const victim of [0, 1, 2]) {
      await kill(nodes[victim] as KvNode);
      const other = ports[(victim + 1) % 3] as number;
      const next = `v${victim + 1}`;
      const old = await answered(other, set('x', next), `a set with node ${victim} killed`, 10_000);
      expect([`x=${value}`, `x=${next}`]).toContain(old); // x=next: an earlier try that timed out was carried out
      value = next;
      nodes[victim] = await startNode('solutions', dirs[victim] as string);
      expect(await answered(ports[victim] as number, '/x', `restarted node ${victim}`)).toBe(`x=${value}`);
    }

    await Promise.all(nodes.map(kill));
    const restarted = await Promise.all(dirs.map((dir) => startNode('solutions', dir)));
    expect(await answered(restarted[2]?.port as number, '/x', 'the cluster restarted whole')).toBe(`x=${value}`);
    expect(dirs.every((dir) => existsSync(join(dir, 'data', 'log.jsonl')))).toBe(true);
  });

  it('kvClient goes past dead hosts, adds servers.txt, and gives up on dead hosts alone with ERROR and exit 1', async () => {
    const node = await startNode('solutions', folder('127.0.0.1:0\n'));
    await answered(node.port, '/ready', 'the node to lead');
    const [deadA, deadB] = await reserveFreePorts(2);
    const cwd = folder();
    const client = (args: string[], dir = cwd) => finished(run('solutions', 'kvClient.ts', args, dir));

    expect(await client(['-h', `127.0.0.1:${deadA},127.0.0.1:${node.port}`, '-k', 'c', '-v', 'one'])).toMatchObject({ code: 0, stdout: 'c=NIL\n' });
    const withFile = folder(`127.0.0.1:${deadB}\n127.0.0.1:${node.port}\n`);
    expect(await client(['-h', `127.0.0.1:${deadA}`, '-k', 'c'], withFile)).toMatchObject({ code: 0, stdout: 'c=one\n' });
    expect(await client(['-h', `127.0.0.1:${node.port}`, '-k', 'c', '-v', 'a[b'])).toMatchObject({ code: 1, stdout: expect.stringMatching(/^ERROR: the value holds a character that is not allowed[^\n]*\n$/) });
    expect(await client(['-k', 'c'])).toMatchObject({ code: 2, stdout: expect.stringMatching(/^ERROR: usage: \.\/kvClient\.ts -h [^\n]*\(-h is missing\)\n$/) });

    const started = Date.now();
    const dead = await client(['-h', `127.0.0.1:${deadA},127.0.0.1:${deadB}`, '-k', 'c']);
    expect(dead).toMatchObject({ code: 1, stdout: expect.stringMatching(/^ERROR: no node answered within 10 s; last, 127\.0\.0\.1:\d+: [^\n]*ECONNREFUSED[^\n]*\n$/) });
    expect(Date.now() - started).toBeGreaterThan(9_000);
    expect(Date.now() - started).toBeLessThan(25_000);
  });
});

describe('the starter programs', () => {
  it('kvServer listens, checks the limits, and answers a request 500 "not implemented", alone or with peers', async () => {
    const [deadA, deadB] = await reserveFreePorts(2);
    const alone = await startNode('starter', folder('127.0.0.1:0\n'));
    const withPeers = await startNode('starter', folder(`127.0.0.1:0\n127.0.0.1:${deadA}\n127.0.0.1:${deadB}\n`));
    for (const node of [alone, withPeers]) {
      expect(await get(node.port, '/k')).toMatchObject({ status: 500, body: 'not implemented: proposing a request to the log (handout part A)' });
      expect(await get(node.port, '/k=v')).toMatchObject({ status: 500, body: expect.stringContaining('not implemented') });
      expect(await get(node.port, '/k%5D')).toMatchObject({ status: 400 });
    }
    expect(existsSync(join(alone.dir, 'data', 'node-id'))).toBe(true);

    const client = await finished(run('starter', 'kvClient.ts', ['-h', `127.0.0.1:${alone.port}`, '-k', 'k'], folder()));
    expect(client).toMatchObject({ code: 1, stdout: expect.stringMatching(/^ERROR: not implemented: trying the next host \(handout part C\); [^\n]*HTTP 500 not implemented: proposing a request to the log \(handout part A\)\n$/) });
    expect([alone.child.exitCode, withPeers.child.exitCode]).toEqual([null, null]);
  });
});
