/** The exit codes of `rsmlab`, documented in --help and the README. */
export const EXIT = {
  ok: 0,            // the command did its job (for `grade`: grading completed, whatever the score)
  checksFailed: 1,  // `check` only: at least one required check failed
  usage: 2,         // wrong arguments, unknown lab, unreadable submission
  environment: 3,   // the machine lacks something: run `npm run setup`
  internal: 4,      // a bug in rsmlab itself
  interrupted: 130, // Ctrl-C
} as const;

export const EXIT_CODES_HELP = `
Exit codes:
  0    done (grade: grading completed, whatever the score)
  1    check: at least one required check failed
  2    usage error: wrong arguments, unknown lab, unreadable submission
  3    environment: something is not installed (run \`npm run setup\`)
  4    internal error in rsmlab (please report it)
  130  interrupted (Ctrl-C)`;
