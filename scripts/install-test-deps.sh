#!/usr/bin/env bash
# Installs the programs the integration tests run: PostgreSQL server binaries
# (Debian packages) and checks Terraform >= 1.11; fetches firebase-tools' JSON schema for
# firebase.json. Idempotent; safe to re-run.
set -euo pipefail
cd "$(dirname "$0")/.."

have_postgres() {
  command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1
}

if ! have_postgres; then
  echo "install-test-deps: installing PostgreSQL server from Debian packages"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  # No "main" cluster on 127.0.0.1:5432: the tests start their own server on Unix sockets
  # only, and one control needs that port closed (Cloud Run has no local PostgreSQL).
  $SUDO mkdir -p /etc/postgresql-common/createcluster.d
  echo 'create_main_cluster = false' | $SUDO tee /etc/postgresql-common/createcluster.d/no-main-cluster.conf >/dev/null
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends postgresql postgresql-client >/dev/null
fi
have_postgres && echo "install-test-deps: PostgreSQL $(ls /usr/lib/postgresql | sort -n | tail -1) ok"
# initdb refuses to run as root; the tests then run the server as the package's "postgres" user.
if [ "$(id -u)" -eq 0 ] && ! id -u postgres >/dev/null 2>&1; then
  echo "install-test-deps: running as root but there is no \"postgres\" user; reinstall the Debian postgresql package" >&2
  exit 1
fi

if command -v terraform >/dev/null 2>&1; then
  echo "install-test-deps: $(terraform version | head -1) ok"
else
  echo "install-test-deps: terraform not found; install Terraform >= 1.11 (https://developer.hashicorp.com/terraform/install)" >&2
  exit 1
fi

bash scripts/fetch-firebase-schema.sh
