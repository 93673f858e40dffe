"""Runs one notebook top to bottom with Debian's Jupyter (nbclient), for executeNotebook.ts.

Not a program for people: executeNotebook.ts starts it and reads the lines it prints.

usage: python3 -I executeNotebook.py SOURCE EXECUTED KERNEL CELL_TIMEOUT_S STARTUP_TIMEOUT_S CWD

Writes the executed copy of SOURCE to EXECUTED, also when a cell fails (the cells after it then
keep no outputs), and prints on stdout, each line as soon as it is known:
  rsmlab:kernel-pid PID   the kernel is up; it leads a process group of its own
  rsmlab:cell INDEX       a cell starts (INDEX counts every cell from 0)
  rsmlab:result JSON      last: {"failedCell": INDEX or null, "kind": null or the kind of failure}
where the kind is "error", "timeout" (one cell ran too long), "kernel-died" or "kernel-start".
Exits with code 3 when Jupyter's Python packages are missing.
"""
import atexit
import json
import sys

try:
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError
except ImportError as missing:
    print(f"rsmlab: Jupyter's Python packages are missing: {missing}", file=sys.stderr)
    sys.exit(3)


def say(tag, value):
    print(f"rsmlab:{tag} {value}", flush=True)


class Progress:
    """How far the run got, told to the caller as it happens (nbclient calls the hooks)."""

    def __init__(self, client):
        self.client = client
        self.kernel_started = False
        self.running_cell = None  # index of the cell that started last
        client.on_notebook_start = self.on_notebook_start
        client.on_cell_start = self.on_cell_start

    def on_notebook_start(self, **_):
        self.kernel_started = True
        say("kernel-pid", self.client.km.provisioner.pid)

    def on_cell_start(self, cell_index, **_):
        self.running_cell = cell_index
        say("cell", cell_index)


def run(client, progress):
    """Executes every cell; returns the kind of failure, or None when all cells ran."""
    try:
        # The kernel writes its own messages to stderr, keeping stdout for the lines the caller reads.
        client.execute(stdout=sys.stderr)
        return None
    except CellTimeoutError:
        return "timeout"
    except CellExecutionError:
        return "error"
    except Exception as error:  # the kernel died (or was stopped), or never started
        print(f"rsmlab: {type(error).__name__}: {error}", file=sys.stderr)
        if progress.kernel_started:
            return "kernel-died"
        # nbclient leaves its clean-up registered when the kernel fails to start; at exit it would
        # only fail again, burying the kernel's own message under a traceback.
        atexit.unregister(client._cleanup_kernel)
        return "kernel-start"


def main(source, executed, kernel, cell_timeout, startup_timeout, cwd):
    notebook = nbformat.read(source, as_version=4)
    client = NotebookClient(
        notebook,
        kernel_name=kernel,  # always the project's kernel, whatever the notebook's metadata names
        timeout=int(cell_timeout),
        startup_timeout=int(startup_timeout),
        resources={"metadata": {"path": cwd}},  # the kernel's working folder
    )
    progress = Progress(client)
    kind = run(client, progress)
    nbformat.write(notebook, executed)
    failed_cell = progress.running_cell if kind else None
    say("result", json.dumps({"failedCell": failed_cell, "kind": kind}))


if __name__ == "__main__":
    main(*sys.argv[1:])
