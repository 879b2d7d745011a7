#!/bin/sh
# Accord's container entrypoint: brings the Postgres database that DATABASE_URL names up to
# date (migrations, then the seed; each does nothing when already done), then replaces itself
# with the command, so that node receives the container's signals directly.
# Without DATABASE_URL, src/index.ts migrates and seeds the embedded database itself.
set -eu
cd "$(dirname "$0")/.."

if [ -n "${DATABASE_URL:-}" ]; then
  node --import tsx src/cli/migrate.ts
  node --import tsx src/cli/seed.ts
fi

exec "$@"
