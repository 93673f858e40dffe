/**
 * Thrown inside a check to fail it with a message a student can act on: what was expected, what
 * was observed, where to look. `unknown` marks a verdict the grader could not reach (a bound ran
 * out): the check fails with the word UNKNOWN, because a timeout is never a pass.
 * `outlastsStallMs` says how much machine stall the failure outlasts: a process that printed
 * nothing for 20 s was not silenced by a stall of 2 s, so such a failure stands even when a stall
 * was measured (runCheck reruns a check whose failure a measured stall could explain).
 */
export class CheckFailure extends Error {
  constructor(
    message: string,
    readonly unknown = false,
    readonly outlastsStallMs = 0,
  ) {
    super(message);
    this.name = 'CheckFailure';
  }
}

/** Fails the check with `message` unless `condition` holds. */
export function expectThat(condition: boolean, message: () => string): asserts condition {
  if (!condition) throw new CheckFailure(message());
}
