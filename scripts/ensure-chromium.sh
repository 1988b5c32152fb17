#!/bin/sh
# The browser tests drive Debian's Chromium (Playwright cannot download its own browser here).
# Installs it when missing and we may (root); otherwise the browser tests are skipped unless
# E2E_REQUIRED=1, in which case they fail.
# chromium-l10n brings the browser's French: with it (and LANGUAGE=fr, tests/e2e/conftest.py) a
# native date field takes the digits in the French order, JJ MM AAAA, as a parent types them.
if [ -x /usr/bin/chromium ] && [ -f /usr/lib/chromium/locales/fr.pak ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium (and its French) for the browser tests…"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-l10n >/dev/null
else
  echo "chromium or chromium-l10n is missing: install Debian's 'chromium' and 'chromium-l10n' packages to run the browser tests." >&2
fi
exit 0
