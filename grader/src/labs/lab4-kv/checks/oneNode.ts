/**
 * Part A on one node: the protocol, request by request (NIL for a key never set, the old value
 * after a set, a 4xx and nothing stored for a request past the limits), then the evaluator's
 * clients for a few seconds, judged linearizable.
 */
import type { CheckDef } from '../../../check/types.ts';
import type { CheckContext } from '../../../check/checkContext.ts';
import type { Findings } from '../../../check/findings.ts';
import { expectOld, expectRefused } from '../kvProbe.ts';
import { MAX_KEY, MAX_VALUE } from '../kvProtocol.ts';
import { runScenario, type Phase } from '../kvScenario.ts';

const SECTION = 'Protocol';

async function probeProtocol(port: number, findings: Findings): Promise<void> {
  const node = 'node 0';
  await expectOld(port, node, { kind: 'get', key: 'probe.fresh' }, null, findings, SECTION);
  await expectOld(port, node, { kind: 'set', key: 'probe.x', value: 'one' }, null, findings, SECTION);
  await expectOld(port, node, { kind: 'set', key: 'probe.x', value: 'two' }, 'one', findings, SECTION);
  await expectOld(port, node, { kind: 'get', key: 'probe.x' }, 'two', findings, SECTION);
  const longest = 'v'.repeat(MAX_VALUE);
  await expectOld(port, node, { kind: 'set', key: 'k'.repeat(MAX_KEY), value: longest }, null, findings, SECTION);
  await expectRefused(port, node, `/${'k'.repeat(MAX_KEY + 1)}`, `a key of ${MAX_KEY + 1} characters`, findings);
  await expectRefused(port, node, '/probe%5Bx%5D', 'a key with [ and ]', findings);
  await expectRefused(port, node, `/probe.x=${'v'.repeat(MAX_VALUE + 1)}`, `a value of ${MAX_VALUE + 1} characters`, findings);
  await expectRefused(port, node, '/probe.x=a%5Bb', 'a value with [', findings);
  await expectOld(port, node, { kind: 'get', key: 'probe.x' }, 'two', findings, SECTION); // nothing was stored
}

function run(context: CheckContext): Promise<void> {
  const phases = (): Phase[] => [{ label: 'one node, no fault', act: () => undefined, ms: 4000, mustAnswer: 'all' }];
  return runScenario(context, 1, phases, (cluster, findings) => probeProtocol(cluster.clientPort(0), findings));
}

export const oneNode: CheckDef = {
  id: 'lab4.A.one-node',
  part: 'A',
  title: 'One node: gets, sets, limits, and a linearizable history',
  points: 15,
  tags: [],
  faults: [],
  timeoutMs: 90_000,
  run,
};
