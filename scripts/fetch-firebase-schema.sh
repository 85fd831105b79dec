#!/usr/bin/env bash
# firebase-tools' own schema for firebase.json, without installing the CLI and its
# dependencies: pack the pinned release and keep only that one file. Needs only the npm
# registry, so `npm test` runs it itself (pretest); idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."

FIREBASE_TOOLS_VERSION=15.34.2
fbt_dir=".cache/firebase-tools-${FIREBASE_TOOLS_VERSION}"
if [ ! -f "$fbt_dir/schema/firebase-config.json" ]; then
  echo "fetch-firebase-schema: fetching firebase-tools@${FIREBASE_TOOLS_VERSION} schema/firebase-config.json"
  mkdir -p "$fbt_dir"
  tgz=$(npm pack "firebase-tools@${FIREBASE_TOOLS_VERSION}" --pack-destination "$fbt_dir" --silent --no-audit --no-fund | tail -1)
  tar -xzf "$fbt_dir/$tgz" -C "$fbt_dir" --strip-components=1 package/schema/firebase-config.json
  rm -f "$fbt_dir/$tgz"
fi
echo "fetch-firebase-schema: firebase-tools ${FIREBASE_TOOLS_VERSION} schema ok"
