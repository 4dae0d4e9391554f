#!/usr/bin/env bash
# Install Debian's Chromium and a small CJK font (screenshots of Chinese pages
# show empty boxes without one). Needs root or sudo; apt only, nothing downloaded
# outside the distribution's package mirror.
set -euo pipefail
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
if ! command -v apt-get >/dev/null; then
  echo "No apt-get: install Chromium yourself, or 'playwright install chromium', or set AUDITKIT_CHROMIUM." >&2
  exit 1
fi
echo "Installing Chromium and fonts-wqy-zenhei with apt-get…" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-wqy-zenhei >/dev/null
