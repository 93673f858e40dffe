/**
 * Errors a user can act on. Each has a stable code; the CLI's one top-level handler maps them to an
 * exit code and prints the message alone, never a stack trace.
 */

export type RsmlabErrorCode =
  | 'USAGE'            // wrong arguments or options
  | 'UNKNOWN_LAB'      // a lab name that does not exist
  | 'SUBMISSION'       // a submission path that is missing, unreadable or malformed
  | 'ENVIRONMENT'      // something the machine lacks (run the set-up script)
  | 'INTERRUPTED';     // the user pressed Ctrl-C

export class RsmlabError extends Error {
  constructor(
    readonly code: RsmlabErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'RsmlabError';
  }
}

export const usageError = (message: string): RsmlabError => new RsmlabError('USAGE', message);
export const submissionError = (message: string): RsmlabError => new RsmlabError('SUBMISSION', message);
export const environmentError = (message: string): RsmlabError => new RsmlabError('ENVIRONMENT', message);
