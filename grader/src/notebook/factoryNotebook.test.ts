import { afterEach, describe, expect, it, vi } from 'vitest';
import { FactoryConnection } from '../labs/lab2-factory/factoryClient.ts';
import { reserveFreePorts } from '../labs/lab2-factory/freePorts.ts';
import { ReferenceFactory } from '../labs/lab2-factory/referenceFactory.ts';
import { factoryArgs, showRecords, showStatus, waitForLog } from './factoryNotebook.ts';

const factories: ReferenceFactory[] = [];
const start = async (options: Parameters<typeof ReferenceFactory.start>[0]): Promise<ReferenceFactory> => {
  const factory = await ReferenceFactory.start(options);
  factories.push(factory);
  return factory;
};
afterEach(async () => {
  await Promise.all(factories.splice(0).map((factory) => factory.close()));
  vi.restoreAllMocks();
});

/** What the helper printed (outside a kernel, showHtml prints the HTML too). */
function printed(): () => string {
  const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  return () => log.mock.calls.map((args) => args.join(' ')).join('\n');
}

describe('factoryArgs', () => {
  it('gives each factory the command line of the handout: its port and id, then its peers in id order', () => {
    const ports = [7000, 7001, 7002];
    expect(ports.map((_, id) => factoryArgs(ports, id).join(' '))).toEqual([
      '7000 0 2 1 127.0.0.1 7001 2 127.0.0.1 7002',
      '7001 1 2 0 127.0.0.1 7000 2 127.0.0.1 7002',
      '7002 2 2 0 127.0.0.1 7000 1 127.0.0.1 7001',
    ]);
    expect(factoryArgs([0], 0)).toEqual(['0', '0', '0']);
  });
});

describe('showStatus and showRecords', () => {
  it('show one status row per factory, and say which factory did not answer', async () => {
    const alive = await start({ factoryId: 0 });
    const [deadPort] = await reserveFreePorts(1);
    const output = printed();
    await showStatus([alive.port, deadPort as number]);
    expect(output()).toContain(`<tr data-factory="0" data-primary="-1" data-last="-1" data-committed="-1"><td>0</td><td>${alive.port}</td>`);
    expect(output()).toContain('<td>no primary</td>');
    expect(output()).toMatch(/<tr data-factory="1" data-down="true">.*no answer: factory 1 \(port \d+\): connect ECONNREFUSED/);
  });

  it('put the records side by side, highlight a row that differs, and leave out a factory that did not answer', async () => {
    const primary = await start({ factoryId: 0, records: [[0, 9], [2, 7]] });
    const backup = await start({ factoryId: 1, records: [[0, 9], [2, 6]] });
    const [deadPort] = await reserveFreePorts(1);
    const output = printed();
    await showRecords([primary.port, backup.port, deadPort as number], 4);
    expect(output()).toContain('<p data-down="2">factory 2');
    expect(output()).toContain('<b>1 of 2 rows differ</b>');
    expect(output()).toContain('<th>customer</th><th>factory 0</th><th>factory 1</th></tr>');
    expect(output()).not.toContain('<code>1</code>'); // customer 1 has no record anywhere
  });

  it('say so when no factory answers the reads', async () => {
    const [deadPort] = await reserveFreePorts(1);
    const output = printed();
    await showRecords([deadPort as number], 8);
    expect(output()).toContain('<p data-verdict="none">No factory answered the reads.</p>');
  });
});

describe('waitForLog', () => {
  it('resolves true once the factory has an entry at the index', async () => {
    const factory = await start({ factoryId: 3 });
    const connection = await FactoryConnection.open(factory.port);
    await connection.order(0, 0);
    await connection.order(0, 1);
    connection.close();
    const output = printed();
    expect(await waitForLog(factory.port, 1)).toBe(true);
    expect(output()).toBe('factory 3 has logged entry 1 (last_index 1)');
  });

  it('stops waiting when the client has ended, or at its time limit', async () => {
    const factory = await start({ factoryId: 0 });
    const output = printed();
    expect(await waitForLog(factory.port, 5, { whileRunning: Promise.reject(new Error('exited')) })).toBe(false);
    expect(await waitForLog(factory.port, 5, { timeLimitMs: 200 })).toBe(false);
    expect(output().split('\n')).toEqual([
      'the client ended before factory 0 logged entry 5 (last_index -1)',
      'factory 0 did not log entry 5 in 0.2 s (last_index -1)',
    ]);
  });

  it('stops waiting when the factory does not answer', async () => {
    const [deadPort] = await reserveFreePorts(1);
    const output = printed();
    expect(await waitForLog(deadPort as number, 0)).toBe(false);
    expect(output()).toMatch(/^stopped waiting: the factory at port \d+: connect ECONNREFUSED/);
  });
});
