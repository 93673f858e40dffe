/**
 * The one code path behind `rsmlab check`, `rsmlab grade`, the notebook's check cell and the
 * Gradescope entry point: prepare the submission, run the lab's checks in order, collect results.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { LabDef } from '../labs/labDef.ts';
import { prepareSubmission } from '../harness/submission.ts';
import { usageError } from '../errors.ts';
import { runCheck } from './runCheck.ts';
import type { CheckDef, CheckResult, GradeResult } from './types.ts';
import { resolveSandbox, type SandboxChoice } from '../sandbox/sandboxChoice.ts';
import { closedAncestor, grantPassage, killSandboxUid, removeLeftovers, trackSandbox } from '../sandbox/sandboxAccess.ts';

export interface GradeOptions {
  lab: LabDef;
  source: string;               // folder or archive to grade
  seed: number;
  only?: readonly string[];     // check ids (or id prefixes) to run; all when absent
  logRoot?: string;             // where per-check logs go; a fresh temporary folder by default
  reproduceCommand: string;     // e.g. `npx rsmlab grade lab1 ./sub`; seed and check id are appended
  runMarker?: string;           // marks every process of the run (env RSMLAB_RUN); random by default
  sandbox?: SandboxChoice;      // run the roles sandboxed; default from env RSMLAB_SANDBOX (auto|on|off), else off
  onCheckStart?: (check: CheckDef) => void;
  onCheckDone?: (result: CheckResult) => void;
}

export const DEFAULT_SEED = 1;

export async function gradeSubmission(options: GradeOptions): Promise<GradeResult> {
  const started = performance.now();
  const checks = selectChecks(options.lab, options.only);
  const sandbox = resolveSandbox(options.sandbox);
  const logRoot = options.logRoot ?? mkdtempSync(join(tmpdir(), `rsmlab-logs-${options.lab.id}-`));
  if (sandbox.policy && !options.logRoot) grantPassage(sandbox.policy, logRoot); // the roles write data files below it
  const closed = sandbox.policy?.uid !== undefined && options.logRoot ? closedAncestor(options.logRoot) : undefined;
  if (closed) throw usageError(`the sandboxed submission could not reach its data files under ${options.logRoot}: ${closed} is closed to other users; put the logs elsewhere`);
  const submission = await prepareSubmission(options.lab, options.source, sandbox.policy ? { sandbox: sandbox.policy } : {});
  const runMarker = options.runMarker ?? randomUUID();
  const results: CheckResult[] = [];
  if (sandbox.policy) trackSandbox(sandbox.policy, true);
  try {
    for (const check of checks) {
      options.onCheckStart?.(check);
      const result = await runCheck(check, {
        seed: options.seed,
        submission,
        logRoot,
        runMarker,
        reproduce: `${options.reproduceCommand} --seed ${options.seed} --only ${check.id}`,
      });
      results.push(result);
      options.onCheckDone?.(result);
    }
  } finally {
    if (sandbox.policy) {
      killSandboxUid(sandbox.policy);
      removeLeftovers(sandbox.policy);
      trackSandbox(sandbox.policy, false);
    }
    await submission.dispose();
  }
  const regular = checks.filter((check) => !check.tags.includes('bonus'));
  const bonus = checks.filter((check) => check.tags.includes('bonus'));
  return {
    lab: options.lab.id,
    submission: options.source,
    seed: options.seed,
    score: results.reduce((sum, result) => sum + result.points, 0),
    maxScore: regular.reduce((sum, check) => sum + check.points, 0),
    bonusMaxScore: bonus.reduce((sum, check) => sum + check.points, 0),
    executionTimeMs: Math.round(performance.now() - started),
    logRoot,
    warnings: sandbox.warnings,
    checks: results,
  };
}

export function selectChecks(lab: LabDef, only: readonly string[] | undefined): readonly CheckDef[] {
  if (!only || only.length === 0) return lab.checks;
  const chosen = lab.checks.filter((check) => only.some((wanted) => check.id === wanted || check.id.startsWith(`${wanted}.`)));
  if (chosen.length === 0) {
    throw usageError(`--only ${only.join(',')} matches no check of ${lab.id}; its checks are: ${lab.checks.map((check) => check.id).join(', ')}`);
  }
  return chosen;
}
