#!/usr/bin/env bash
# Makes sure a Redis server answers on 127.0.0.1:6379, as the queue tests of `perpguard sweep --redis`
# expect (src/io/sweep-queue.test.ts; PERPGUARD_TEST_REDIS_URL overrides the URL). Used by .ci/run: under
# CI=true those tests fail rather than skip when Redis is unreachable.
#   running already        -> nothing to do
#   installed but down     -> start redis-server in the background (no config file, no persistence)
#   not installed (root)   -> apt-get install redis-server, then start it
# A user's machine without Redis needs none of this: `npm test` skips those tests there with a reason.
set -euo pipefail
ready() { command -v redis-cli >/dev/null && [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = PONG ]; }
ready && exit 0
if ! command -v redis-server >/dev/null; then
  if [ "$(id -u)" != 0 ]; then echo "ensure-redis: Redis is not installed and this is not root: install it (apt-get install redis-server)" >&2; exit 1; fi
  echo "ensure-redis: installing Redis from Debian's packages" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
fi
ready && exit 0
# the tests' throwaway server: loopback only, nothing written to disk
redis-server --bind 127.0.0.1 --port 6379 --daemonize yes --save '' --appendonly no --logfile /tmp/perpguard-ci-redis.log >/dev/null
for _ in $(seq 1 40); do ready && break; sleep 0.25; done
ready || { echo "ensure-redis: Redis did not start on 127.0.0.1:6379 (see /tmp/perpguard-ci-redis.log)" >&2; exit 1; }
