#!/usr/bin/env bash
# Installs Microsoft's SARIF validator (the SARIF Multitool, from the npm registry) into the
# git-ignored tools/sarif-multitool/ of this checkout, pinned to one version. Idempotent: when
# it is there it prints the binary's path and does nothing else. Needs npm (scripts/install-deps.sh).
# Usage: scripts/install-sarif-validator.sh   -> prints the path of the Sarif.Multitool binary
set -euo pipefail
version=5.7.0
root=$(cd "$(dirname "$0")/.." && pwd)
dir=$root/tools/sarif-multitool
bin=$dir/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool

if [[ ! -f "$bin" ]] || ! grep -q "\"version\": \"$version\"" "$dir/node_modules/@microsoft/sarif-multitool-linux/package.json" 2>/dev/null; then
  command -v npm >/dev/null || { echo "install-sarif-validator: npm is missing (run scripts/install-deps.sh as root)" >&2; exit 1; }
  mkdir -p "$dir"
  # Several test runs may install at once: one npm at a time per checkout.
  exec 9>"$dir/.lock"
  flock 9
  if [[ ! -f "$bin" ]]; then
    [[ -f "$dir/package.json" ]] || echo '{"name":"apkwarden-tools","private":true}' >"$dir/package.json"
    npm install --prefix "$dir" --no-audit --no-fund --loglevel=error \
      "@microsoft/sarif-multitool@$version" "@microsoft/sarif-multitool-linux@$version" >&2
  fi
fi
# npm may skip the package's postinstall (chmod u+x); do it here.
[[ -x "$bin" ]] || chmod u+x "$bin"
echo "$bin"
