/**
 * Which sandbox a grading uses: an explicit policy, or 'auto' / 'on' / 'off', from the caller or
 * from the environment variable RSMLAB_SANDBOX. 'auto' applies what the machine allows and warns
 * about the rest; 'on' refuses to grade when any part is missing; 'off' (the default for now) runs
 * the submission as the grader's user without limits.
 */
import { environmentError, usageError } from '../errors.ts';
import { networkIsolated, NETNS_ENV, NETNS_UNAVAILABLE_ENV } from './networkNamespace.ts';
import { detectSandboxPolicy, type SandboxPolicy } from './sandboxPolicy.ts';

export type SandboxMode = 'auto' | 'on' | 'off';
export type SandboxChoice = SandboxPolicy | SandboxMode;

export const SANDBOX_ENV = 'RSMLAB_SANDBOX';

export interface ResolvedSandbox {
  policy?: SandboxPolicy;    // absent when the sandbox is off
  warnings: string[];        // for GradeResult.warnings
}

export function resolveSandbox(choice: SandboxChoice | undefined, env: NodeJS.ProcessEnv = process.env): ResolvedSandbox {
  const wanted = choice ?? parseSandboxEnv(env[SANDBOX_ENV]);
  if (wanted === 'off') return { warnings: [] };
  const policy = typeof wanted === 'object' ? wanted : detectSandboxPolicy();
  const warnings = [...policy.warnings];
  if (!networkIsolated()) {
    const why = env[NETNS_ENV] ? 'the namespace still shows other interfaces'
      : env[NETNS_UNAVAILABLE_ENV] ?? 'the grader was not started inside a network namespace';
    warnings.push(`no network isolation: ${why}`);
  }
  if (wanted === 'on' && warnings.length > 0) {
    throw environmentError(`${SANDBOX_ENV}=on, but the sandbox is incomplete on this machine:\n  ${warnings.join('\n  ')}\nUse ${SANDBOX_ENV}=auto to grade with what is available.`);
  }
  return { policy, warnings };
}

export function parseSandboxEnv(value: string | undefined): SandboxMode {
  if (value === undefined || value === '') return 'off';
  if (value === 'auto' || value === 'on' || value === 'off') return value;
  throw usageError(`${SANDBOX_ENV} must be auto, on or off, not "${value}"`);
}
