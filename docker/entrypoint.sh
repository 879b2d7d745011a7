#!/bin/sh
# Accord's container entrypoint: brings the Postgres database that DATABASE_URL names up to
# date (migrations, then the seed; each does nothing when already done), then replaces itself
# with the command, so that node receives the container's signals directly.
# It runs the compiled output (docker/assemble.sh builds the image's folder).
# Without DATABASE_URL, dist/index.js migrates and seeds the embedded database itself.
set -eu
cd "$(dirname "$0")/.."

if [ -n "${DATABASE_URL:-}" ]; then
  node dist/cli/migrate.js
  node dist/cli/seed.js
fi

exec "$@"
