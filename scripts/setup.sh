#!/usr/bin/env bash
# One-time set-up on a fresh Debian machine: the system packages the tests use, then the npm packages.
# Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

export DEBIAN_FRONTEND=noninteractive
# dovecot-pop3d: the real POP3 server the interoperability tests start privately on loopback ports.
# openssl: makes the tests' private CA and server certificate.
# chromium: the browser the end-to-end tests drive (playwright-core with executablePath; nothing is downloaded),
#   and the window `npm start` opens on a machine without the Electron binary.
packages=(dovecot-pop3d openssl chromium)
missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # The Debian package starts a system-wide Dovecot; Poplar's tests never use it.
fi

npm ci --no-audit --no-fund
