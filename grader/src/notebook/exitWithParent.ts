/**
 * Loaded into every tslab kernel of the kit (the kernel's command line, written by
 * scripts/setup.sh, imports it): stops the kernel once the Jupyter process that started it is gone.
 *
 * Why: Jupyter starts each kernel in a session of its own, so stopping Jupyter's process group does
 * not reach the kernel, and tslab, unlike Python's kernel, never checks on its parent. A notebook
 * server killed hard, or a notebook run stopped at its time limit, would otherwise leave a node
 * process running for ever. Jupyter sets JPY_PARENT_PID for the kernels it owns and leaves it out
 * for kernels meant to outlive it; those are left alone.
 */
const POLL_MS = 1000;

if (process.env.JPY_PARENT_PID) {
  const parentAtStart = process.ppid;
  // An orphan is adopted by init (or a subreaper), so the pid of its parent changes. The check runs
  // when the event loop is free: not while a cell runs, nor during tslab's start (a few seconds).
  setInterval(() => {
    if (process.ppid !== parentAtStart) process.exit(0);
  }, POLL_MS).unref();
}

export {};
