/**
 * Lines of a crash report that say where, not what: JavaScript stack frames, V8's native ones
 * (`----- Native stack trace -----` then ` 4: 0x10fb205 ...`, printed when V8 aborts a process,
 * e.g. out of memory), and Node's version line. The error line above them is what matters.
 */
export const STACK_LINE = /^\s+at |^\s*\d+: 0x[0-9a-f]+\b|^-+ Native stack trace -+$|^Node\.js v\d/;
