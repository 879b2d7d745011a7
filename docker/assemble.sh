#!/bin/sh
# Assembles the runtime image's folder in TARGET: Accord compiled to JavaScript (dist/), the
# files it reads at run time, and the production dependencies a PostgreSQL server's runtime
# loads, nothing more. The Dockerfile's build stage runs it and copies TARGET into the runtime
# stage; `npm run image:check` runs it outside Docker and starts the server from that folder.
# Needs this checkout's development dependencies (tsc) and the generated Prisma client.
#   docker/assemble.sh <target folder>
set -eu
target=${1:?usage: docker/assemble.sh <target folder>}
root=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$target"
target=$(cd "$target" && pwd)
cd "$root"

# Compiled, so that no TypeScript runner is needed at run time. The seed's sources and facts
# are read next to the compiled loader (src/seed/load.ts).
rm -rf "$target/dist"
node_modules/.bin/tsc -p tsconfig.build.json --outDir "$target/dist"
cp -R src/seed/articles "$target/dist/seed/articles"

# What the server reads from the project's root (src/paths.ts): the schema, the migrations,
# the explorer's bundle when `postinstall` built one (else an empty folder), the entrypoint.
# package.json says the compiled modules are ES modules.
rm -rf "$target/prisma" "$target/explorer" "$target/docker"
mkdir -p "$target/prisma" "$target/explorer/dist" "$target/docker"
cp package.json package-lock.json schema.graphql "$target/"
cp -R prisma/migrations "$target/prisma/migrations"
if [ -d explorer/dist ]; then cp -R explorer/dist/. "$target/explorer/dist/"; fi
cp docker/entrypoint.sh "$target/docker/entrypoint.sh"

cd "$target"
# --omit=optional leaves out the Prisma CLI with Studio, React and TypeScript: @prisma/client
# declares them as optional peers (here they are development dependencies too). The other
# optional packages it drops are never loaded: graphql-armor's type packages (@envelop/*).
# --omit=peer drops nothing today, and keeps a peer added later from coming in unnoticed.
# No install scripts: none of these packages needs one, and `postinstall` is a development step.
npm ci --omit=dev --omit=optional --omit=peer --ignore-scripts --no-audit --no-fund

# Never loaded at run time:
# - of @prisma/client's runtime, every query compiler but the one the generated client imports
#   (the PostgreSQL one): each is megabytes of WebAssembly;
runtime=node_modules/@prisma/client/runtime
imported=$(grep -rhoE "@prisma/client/runtime/[A-Za-z0-9_.-]+" dist | sed 's#.*/##' | sort -u)
for file in "$runtime"/*; do
  name=$(basename "$file")
  case "$name" in *.js | *.mjs) ;; *) rm -f "$file"; continue ;; esac
  stem=${name%.*}
  if ! printf '%s\n' "$imported" | grep -qxF -e "$stem" -e "$stem.js" -e "$stem.mjs"; then
    rm -f "$file"
  fi
done
# - world-countries' maps and bundles (src/import/suggest.ts reads countries.json only);
rm -rf node_modules/world-countries/data node_modules/world-countries/dist
# - type declarations and source maps.
rm -rf node_modules/@types
find node_modules -type f \( -name '*.map' -o -name '*.d.ts' -o -name '*.d.mts' -o -name '*.d.cts' \) -delete
