#!/usr/bin/env bash
# Sets up rsmlab on a fresh Debian machine: the system packages the grader and the notebooks need,
# the npm dependencies, then the notebooks' TypeScript kernel (tslab), registered inside the project.
# Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages and a file each one provides, to tell whether it is already installed.
PACKAGES=(
  "faketime:/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1"     # per-process clock skew
  "jupyter-notebook:/usr/bin/jupyter-notebook"                          # notebooks: the server (`rsmlab notebook`)
  "jupyter-nbconvert:/usr/bin/jupyter-nbconvert"                        # notebooks: converting them (html, script)
  "python3-nbclient:/usr/lib/python3/dist-packages/nbclient/client.py"  # notebooks: running them top to bottom
  "util-linux:/usr/bin/setpriv"                                         # the sandbox: prlimit, setpriv, unshare
  "iproute2:/usr/sbin/ip"                                               # the sandbox: loopback up in its network namespace
  "chromium:/usr/bin/chromium"                                          # tests: HTML reports and handout pages in a real browser
  "zip:/usr/bin/zip"                                                    # tests and benchmarks: submissions as archives
  "unzip:/usr/bin/unzip"
)

missing=()
for entry in "${PACKAGES[@]}"; do
  package="${entry%%:*}"
  marker="${entry#*:}"
  if [ ! -e "$marker" ] && ! dpkg -s "$package" >/dev/null 2>&1; then missing+=("$package"); fi
done

if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  if [ "$(id -u)" -eq 0 ]; then sudo=""; elif command -v sudo >/dev/null; then sudo="sudo"; else
    echo "setup: need root (or sudo) to install ${missing[*]}; ask your administrator" >&2; exit 3
  fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" -lt 20 ]; then
  echo "setup: rsmlab needs Node.js 20 or newer (found $(node --version))" >&2; exit 3
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi

# tslab talks to Jupyter through zeromq, a native addon. Its package ships the addon built, so the
# install script that npm skips ("install-scripts" warning) has nothing to do; make sure the addon
# loads all the same, and run that script (it falls back to building) if it does not.
if ! node -e 'require("zeromq")' 2>/dev/null; then
  echo "setup: zeromq's native addon does not load; running its install script"
  (cd node_modules/zeromq && node script/install.js) || true
  if ! node -e 'require("zeromq")'; then
    echo "setup: zeromq does not load, so the notebooks' kernel (tslab) cannot start" >&2; exit 3
  fi
fi

# The notebooks' kernel, registered inside the project (never in the user's home) where rsmlab's
# Jupyter commands look first (grader/src/notebook/jupyterEnv.ts). tslab's own installer writes the
# kernel spec; its command line is then pinned to this node, with the kit's TypeScript loader (so a
# cell can require() any module of the kit) and a guard that stops the kernel once Jupyter is gone.
jupyter_dir="$PWD/.rsmlab/jupyter"
kernel_json="$jupyter_dir/share/jupyter/kernels/tslab/kernel.json"
if [ ! -f "$kernel_json" ]; then
  echo "setup: registering the tslab kernel in $jupyter_dir"
  node_modules/.bin/tslab install --python=/usr/bin/python3 --prefix="$jupyter_dir" >/dev/null
  rm -rf "$jupyter_dir/share/jupyter/kernels/jslab"  # its JavaScript kernel: the labs are TypeScript
fi
node --input-type=module -e '
  import { readFileSync, writeFileSync } from "node:fs";
  import { resolve } from "node:path";
  import { pathToFileURL } from "node:url";
  const file = process.argv[1];
  const spec = JSON.parse(readFileSync(file, "utf8"));
  const argv = [
    process.execPath,
    "--import", import.meta.resolve("tsx"),
    "--import", pathToFileURL(resolve("grader/src/notebook/exitWithParent.ts")).href,
    resolve("node_modules/tslab/bin/tslab"), "kernel", "--config-path", "{connection_file}",
  ];
  if (JSON.stringify(spec.argv) !== JSON.stringify(argv)) {
    writeFileSync(file, JSON.stringify({ ...spec, argv }, null, 1) + "\n");
    console.log(`setup: the tslab kernel runs with ${process.execPath} (${process.version})`);
  }
' "$kernel_json"
echo "setup: done"
