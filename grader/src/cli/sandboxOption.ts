/**
 * The `--sandbox auto|on|off` option of `grade`, `check` and `batch`, and the step that moves a
 * sandboxed grading into a network namespace of its own before anything else runs.
 */
import { InvalidArgumentError, Option } from 'commander';
import { parseSandboxEnv, SANDBOX_ENV, type SandboxMode } from '../sandbox/sandboxChoice.ts';
import { runInNetworkNamespace } from '../sandbox/networkNamespace.ts';

const HELP = {
  auto: 'apply what this machine allows and warn about the rest',
  on: 'refuse to grade unless every part is in place',
  off: 'run the submission as your own user, without limits',
};

/**
 * `--sandbox`, defaulting to RSMLAB_SANDBOX when set, else to `commandDefault`. The variable's
 * value is checked by `chosenSandbox`, when a command that uses it runs.
 */
export function sandboxOption(commandDefault: SandboxMode): Option {
  const fromEnv = process.env[SANDBOX_ENV] || commandDefault;
  return new Option(
    '--sandbox <mode>',
    `run the submission isolated (own network namespace with only loopback, resource limits, own uid when root): auto = ${HELP.auto}; on = ${HELP.on}; off = ${HELP.off}`,
  )
    .argParser(parseSandboxMode)
    .default(fromEnv, process.env[SANDBOX_ENV] ? `${fromEnv}, from ${SANDBOX_ENV}` : commandDefault);
}

function parseSandboxMode(value: string): SandboxMode {
  if (value === 'auto' || value === 'on' || value === 'off') return value;
  throw new InvalidArgumentError('the mode must be auto, on or off.');
}

/** The mode a command's parsed `--sandbox` option asks for; undefined when it has none. */
export function chosenSandbox(value: unknown): SandboxMode | undefined {
  return value === undefined ? undefined : parseSandboxEnv(String(value));
}

/** Thrown in the outer process once the command has run inside the namespace: exit with its code. */
export class RanInNamespace extends Error {
  constructor(readonly exitCode: number) {
    super(`the command ran in a network namespace and exited with ${exitCode}`);
  }
}

/**
 * Runs this very command again inside a loopback-only network namespace when `mode` asks for a
 * sandbox, and throws RanInNamespace with its exit code; returns when the command should go on
 * here (already inside, sandbox off, or no namespace available: then the result warns).
 */
export async function isolateNetwork(mode: SandboxMode): Promise<void> {
  if (mode === 'off') return;
  const outcome = await runInNetworkNamespace();
  if (outcome.reexecuted) throw new RanInNamespace(outcome.exitCode);
}
