#!/usr/bin/env bash
# Makes sure headless Chromium is at /usr/bin/chromium (PERPGUARD_CHROMIUM overrides the path) for the
# dashboard's end-to-end tests (src/server/http/browser-test-support.ts), which under CI=true fail rather
# than skip without it. Debian's package, not `npx playwright install` (which downloads a browser from a CDN
# this machine cannot reach): playwright-core drives whatever Chromium is given.
#   present                -> nothing to do
#   missing (root)         -> apt-get install chromium
#   missing (not root)     -> say how, fail
# A user's machine without Chromium needs none of this: `npm test` skips those tests there with a reason.
set -euo pipefail
CHROMIUM="${PERPGUARD_CHROMIUM:-/usr/bin/chromium}"
[ -x "$CHROMIUM" ] && exit 0
if [ "$(id -u)" != 0 ]; then echo "ensure-chromium: no Chromium at $CHROMIUM and this is not root: install it (apt-get install chromium)" >&2; exit 1; fi
echo "ensure-chromium: installing Chromium from Debian's packages" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
[ -x "$CHROMIUM" ] || { echo "ensure-chromium: chromium installed but $CHROMIUM is missing" >&2; exit 1; }
