#!/bin/sh
# Stand-in for Prisma's native schema engine, which `npm install` cannot download offline.
# `prisma generate` only asks it for a version; every other use fails loudly instead of
# silently doing nothing. Migrations: `npm run db:migrate`, `npm run db:migration:new`.
if [ "$1" = "--version" ]; then echo "schema-engine-cli unavailable"; exit 0; fi
echo "Prisma's native schema engine is not installed; Accord applies migrations with 'npm run db:migrate'." >&2
exit 1
