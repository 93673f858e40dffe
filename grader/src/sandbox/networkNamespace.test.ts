// The grader re-executed in a network namespace: loopback works, any other address fails locally.
// The connection to 192.0.2.1 (a documentation address) is only ever tried once the probe script has
// checked it sees nothing but loopback: this machine allows no traffic beyond it.
import { describe, it, expect, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TSX_LOADER } from '../kitPaths.ts';
import { isHostRoot, namespaceFlags, NETNS_ENV } from './networkNamespace.ts';

const available = namespaceFlags();
const dir = mkdtempSync(join(tmpdir(), 'rsmlab-netns-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const moduleUrl = (name: string): string => pathToFileURL(join(import.meta.dirname, name)).href;

// Re-executes itself in the namespace; inside, checks loopback and then (only if isolated) tries
// 192.0.2.1 from itself and from a sandboxed child (the sandbox uid, when root).
const PROBE = `
import { spawnSync } from 'node:child_process';
import net from 'node:net';
import { runInNetworkNamespace, networkIsolated } from '${moduleUrl('networkNamespace.ts')}';
import { detectSandboxPolicy, wrapCommand } from '${moduleUrl('sandboxPolicy.ts')}';

const outcome = await runInNetworkNamespace();
if (outcome.reexecuted) {
  console.log('outer exit ' + outcome.exitCode);
  process.exit(outcome.exitCode);
}
if (outcome.warning || !networkIsolated()) {
  console.log('NOT-ISOLATED ' + (outcome.warning ?? ''));
  process.exit(3);
}
const server = net.createServer((socket) => socket.end('hello\\n'));
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const reply = await new Promise((resolve) => {
  net.connect(server.address().port, '127.0.0.1').on('data', (data) => resolve(String(data).trim())).on('error', (e) => resolve(e.code));
});
console.log('loopback ' + reply);
server.close();
const CONNECT = "require('net').connect(80, '192.0.2.1').on('connect', () => { console.log('CONNECTED'); process.exit(0); }).on('error', (e) => { console.log('error ' + e.code); process.exit(0); })";
const own = spawnSync(process.execPath, ['-e', CONNECT], { encoding: 'utf8', timeout: 10000 });
console.log('grader ' + own.stdout.trim());
const wrapped = wrapCommand(detectSandboxPolicy({ uid: 61991 }), process.execPath, ['-e', CONNECT]);
const child = spawnSync(wrapped.command, wrapped.args, { encoding: 'utf8', timeout: 10000 });
console.log('sandboxed ' + child.stdout.trim() + child.stderr.trim());
`;

describe.skipIf('reason' in available)('network namespace', () => {
  it('keeps loopback and makes 192.0.2.1 unreachable, for the grader and its sandboxed children', () => {
    const script = join(dir, 'probe.mts');
    writeFileSync(script, PROBE);
    const env = { ...process.env };
    delete env[NETNS_ENV];
    const run = spawnSync(process.execPath, ['--import', TSX_LOADER, script], { cwd: dir, encoding: 'utf8', env, timeout: 60_000 });
    const lines = run.stdout.trim().split('\n');
    console.log(lines.join('\n'));
    expect(run.stderr).toBe('');
    expect(lines).toContain('loopback hello');
    expect(lines).toContain('grader error ENETUNREACH');
    expect(lines).toContain('sandboxed error ENETUNREACH');
    expect(lines.at(-1)).toBe('outer exit 0');
  });
});

// The same as an ordinary user (`unshare -rn`, a user namespace), where root can switch to one.
const canSwitchUser = isHostRoot() && spawnSync('setpriv', ['--version']).status === 0;

describe.skipIf('reason' in available || !canSwitchUser)('network namespace for a user other than root', () => {
  it('keeps loopback and makes 192.0.2.1 unreachable', () => {
    const script = join(dir, 'probe-user.mts');
    writeFileSync(script, PROBE);
    chmodSync(dir, 0o755);
    const userTmp = join(dir, 'tmp'); // tsx's cache, writable for that user
    mkdirSync(userTmp, { mode: 0o1777 });
    chmodSync(userTmp, 0o1777);
    const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: userTmp };
    delete env[NETNS_ENV];
    const asUser = ['--reuid=61992', '--regid=61992', '--clear-groups', '--'];
    const run = spawnSync('setpriv', [...asUser, process.execPath, '--import', TSX_LOADER, script], { cwd: dir, encoding: 'utf8', env, timeout: 60_000 });
    const lines = run.stdout.trim().split('\n');
    if (lines[0]?.startsWith('NOT-ISOLATED')) {
      console.warn(`user namespaces unavailable here: ${lines[0]}`);
      return;
    }
    expect(run.stderr).toBe('');
    expect(lines).toEqual(['loopback hello', 'grader error ENETUNREACH', 'sandboxed error ENETUNREACH', 'outer exit 0']);
  });
});

// Where namespaces are unavailable the tests above are reported as skipped, never as passed.
if ('reason' in available) console.warn(`network namespace tests skipped: ${available.reason}`);
