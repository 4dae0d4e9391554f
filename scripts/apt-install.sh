#!/usr/bin/env bash
# Install Debian packages the project needs on this machine: Chromium and a small CJK
# font (screenshots of Chinese pages show empty boxes without one) for `make demo`;
# redis-server for the distributed-batch test. Needs root or sudo; apt only.
set -euo pipefail
[ "$#" -gt 0 ] || { echo "usage: $0 PACKAGE..." >&2; exit 2; }
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
if ! command -v apt-get >/dev/null; then
  echo "No apt-get: install $* yourself (for the browser: 'playwright install chromium' or set AUDITKIT_CHROMIUM)." >&2
  exit 1
fi
echo "Installing $* with apt-get…" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$@" >/dev/null
