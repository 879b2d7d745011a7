#!/bin/sh
# Stand-in for Prisma's native schema engine, which `npm install` cannot download offline.
# `prisma generate` only asks it for a version; every other use (`npx prisma migrate …`) fails
# with a pointer to Accord's own commands. Prisma reads the engine's stderr as JSON log lines
# after a first line it skips.
if [ "$1" = "--version" ]; then echo "schema-engine-cli unavailable"; exit 0; fi
MESSAGE="Prisma's native schema engine is not installed here: apply migrations with 'npm run db:migrate', create one with 'npm run db:migration:new'."
printf '%s\n{"timestamp":"","level":"ERROR","fields":{"message":"%s"},"target":"accord"}\n' "$MESSAGE" "$MESSAGE" >&2
exit 1
