#!/usr/bin/env bash
# Installs the programs the integration tests run: PostgreSQL server binaries
# (Debian packages) and checks Terraform >= 1.11. Idempotent; safe to re-run.
set -euo pipefail

have_postgres() {
  command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1
}

if ! have_postgres; then
  echo "install-test-deps: installing PostgreSQL server from Debian packages"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends postgresql postgresql-client >/dev/null
fi
have_postgres && echo "install-test-deps: PostgreSQL $(ls /usr/lib/postgresql | sort -n | tail -1) ok"

if command -v terraform >/dev/null 2>&1; then
  echo "install-test-deps: $(terraform version | head -1) ok"
else
  echo "install-test-deps: terraform not found; install Terraform >= 1.11 (https://developer.hashicorp.com/terraform/install)" >&2
  exit 1
fi
