#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers on 127.0.0.1:5432 with a database `test` that the user `postgres`
# reaches without a password, as src/store's tests expect (PERPGUARD_TEST_DATABASE_URL overrides the URL).
# Used by .ci/run: under CI=true those tests fail rather than skip when PostgreSQL is unreachable.
#   running already        -> nothing to do
#   installed but down     -> start its clusters (Debian's pg_ctlcluster)
#   not installed (root)   -> apt-get install postgresql, then trust loopback connections and create `test`
# A user's machine without PostgreSQL needs none of this: `npm test` skips those tests there with a reason.
set -euo pipefail
ready() { command -v pg_isready >/dev/null && pg_isready -h 127.0.0.1 -p 5432 -q; }
ready && exit 0
if ! command -v pg_ctlcluster >/dev/null; then
  if [ "$(id -u)" != 0 ]; then echo "ensure-postgres: PostgreSQL is not installed and this is not root: install it (apt-get install postgresql)" >&2; exit 1; fi
  echo "ensure-postgres: installing PostgreSQL from Debian's packages" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fresh=1
fi
for conf in /etc/postgresql/*/*/pg_hba.conf; do
  [ -e "$conf" ] || continue
  # a fresh cluster asks for a password on TCP: the tests' throwaway server trusts loopback instead
  if [ "${fresh:-0}" = 1 ]; then sed -i -E 's/^(host\s+all\s+all\s+(127\.0\.0\.1\/32|::1\/128)\s+)\S+/\1trust/' "$conf"; fi
done
pg_lsclusters -h | while read -r version cluster _; do
  pg_ctlcluster --skip-systemctl-redirect "$version" "$cluster" restart >/dev/null 2>&1 || pg_ctlcluster "$version" "$cluster" start || true
done
for _ in $(seq 1 40); do ready && break; sleep 0.5; done
ready || { echo "ensure-postgres: PostgreSQL did not start on 127.0.0.1:5432" >&2; exit 1; }
psql -h 127.0.0.1 -U postgres -d postgres -tAc "select 1 from pg_database where datname = 'test'" | grep -q 1 || psql -h 127.0.0.1 -U postgres -d postgres -qc 'create database test'
