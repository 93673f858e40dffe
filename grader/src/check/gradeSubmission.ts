/**
 * The one code path behind `rsmlab check`, `rsmlab grade`, the notebook's check cell and the
 * Gradescope entry point: prepare the submission, run the lab's checks in order, collect results.
 */
import { randomUUID } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
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
  record?: boolean;             // write each check's recording, timeline and diagram; default true, off when env RSMLAB_RECORD=off
  onCheckStart?: (check: CheckDef) => void;
  onCheckDone?: (result: CheckResult) => void;
}

export const DEFAULT_SEED = 1;

export async function gradeSubmission(options: GradeOptions): Promise<GradeResult> {
  const started = performance.now();
  const checks = selectChecks(options.lab, options.only);
  const sandbox = resolveSandbox(options.sandbox);
  // The roles write their data files below the log folder. A sandbox uid cannot reach a folder
  // below one closed to other users (such as /root), so the run then logs in a temporary folder
  // and its logs are moved to the one asked for at the end.
  const reachable = options.logRoot !== undefined && !(sandbox.policy?.uid !== undefined && closedAncestor(options.logRoot));
  const logRoot = reachable ? (options.logRoot as string) : mkdtempSync(join(tmpdir(), `rsmlab-logs-${options.lab.id}-`));
  if (sandbox.policy && !reachable) grantPassage(sandbox.policy, logRoot);
  const submission = await prepareSubmission(options.lab, options.source, sandbox.policy ? { sandbox: sandbox.policy } : {});
  const runMarker = options.runMarker ?? randomUUID();
  const record = (options.record ?? process.env.RSMLAB_RECORD !== 'off') ? { ...(options.lab.timelineWire ? { wire: options.lab.timelineWire } : {}) } : undefined;
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
        ...(record ? { record } : {}),
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
    if (options.logRoot !== undefined && logRoot !== options.logRoot) moveLogs(logRoot, options.logRoot);
  }
  const regular = checks.filter((check) => !check.tags.includes('bonus'));
  const bonus = checks.filter((check) => check.tags.includes('bonus'));
  const finalLogRoot = options.logRoot ?? logRoot;
  return {
    lab: options.lab.id,
    submission: options.source,
    seed: options.seed,
    score: results.reduce((sum, result) => sum + result.points, 0),
    maxScore: regular.reduce((sum, check) => sum + check.points, 0),
    bonusMaxScore: bonus.reduce((sum, check) => sum + check.points, 0),
    executionTimeMs: Math.round(performance.now() - started),
    logRoot: finalLogRoot,
    warnings: sandbox.warnings,
    checks: logRoot === finalLogRoot ? results : results.map((result) => relocate(result, logRoot, finalLogRoot)),
  };
}

/** A result's paths once its logs moved from one root to another. */
function relocate(result: CheckResult, from: string, to: string): CheckResult {
  const moved = (path: string): string => join(to, relative(from, path));
  const files = (['recording', 'timeline', 'timelineSvg'] as const).flatMap((key) => (result[key] === undefined ? [] : [[key, moved(result[key])]]));
  return { ...result, logDir: moved(result.logDir), ...Object.fromEntries(files) };
}

/** Moves a finished run's logs; links are moved as links, never followed. */
function moveLogs(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  cpSync(from, to, { recursive: true, verbatimSymlinks: true });
  rmSync(from, { recursive: true, force: true });
}

export function selectChecks(lab: LabDef, only: readonly string[] | undefined): readonly CheckDef[] {
  if (!only || only.length === 0) return lab.checks;
  const chosen = lab.checks.filter((check) => only.some((wanted) => check.id === wanted || check.id.startsWith(`${wanted}.`)));
  if (chosen.length === 0) {
    throw usageError(`--only ${only.join(',')} matches no check of ${lab.id}; its checks are: ${lab.checks.map((check) => check.id).join(', ')}`);
  }
  return chosen;
}
