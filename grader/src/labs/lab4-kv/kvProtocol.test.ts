import { describe, expect, it } from 'vitest';
import { formatBody, MAX_KEY, MAX_VALUE, parseBody, parseTarget, targetOf } from './kvProtocol.ts';

describe('lab 4 protocol', () => {
  it('reads /KEY as a get and /KEY=VALUE as a set, splitting at the first =', () => {
    expect(parseTarget('/color')).toEqual({ kind: 'get', key: 'color' });
    expect(parseTarget('/color=blue')).toEqual({ kind: 'set', key: 'color', value: 'blue' });
    expect(parseTarget('/eq=a=b')).toEqual({ kind: 'set', key: 'eq', value: 'a=b' });
    expect(parseTarget('/empty=')).toEqual({ kind: 'set', key: 'empty', value: '' });
  });

  it('round-trips every request through targetOf', () => {
    for (const request of [{ kind: 'get', key: 'a%b' }, { kind: 'set', key: 'k', value: 'v=/?#&' }] as const) expect(parseTarget(targetOf(request))).toEqual(request);
  });

  it('refuses what breaks the limits, saying why', () => {
    const problem = (target: string): string => ('problem' in parseTarget(target) ? (parseTarget(target) as { problem: string }).problem : '');
    expect(problem('/')).toMatch(/key is empty/);
    expect(problem(`/${'k'.repeat(MAX_KEY + 1)}`)).toMatch(/129 characters, more than 128/);
    expect(problem(`/k=${'v'.repeat(MAX_VALUE + 1)}`)).toMatch(/2049 characters, more than 2048/);
    expect(problem('/a[1]')).toMatch(/not allowed/);
    expect(problem('/k=a]')).toMatch(/not allowed/);
    expect(problem('/k=NIL')).toMatch(/cannot be set/);
    expect(problem('/k=%E0%A4%A')).toMatch(/percent-encoding/);
    expect(problem('k')).toMatch(/does not start with \//);
    expect(parseTarget(`/${'k'.repeat(MAX_KEY)}=${'v'.repeat(MAX_VALUE)}`)).toHaveProperty('kind', 'set');
  });

  it('writes and reads answer bodies, NIL for no value', () => {
    expect(formatBody('k', null)).toBe('k=NIL');
    expect(parseBody('k=NIL\n', 'k')).toEqual({ old: null });
    expect(parseBody(formatBody('k', 'v=1'), 'k')).toEqual({ old: 'v=1' });
    expect(parseBody('other=1', 'k')).toHaveProperty('problem');
  });
});
