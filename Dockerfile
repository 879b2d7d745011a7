# syntax=docker/dockerfile:1
# Accord's image; `docker compose up` builds and starts it beside Postgres.
# Node runs the TypeScript sources through tsx (a runtime dependency): nothing is compiled.
# The build stage installs every dependency for `postinstall` (it generates the Prisma client
# into src/generated/prisma); the runtime stage has production dependencies only, the sources
# with what was generated, and runs as the unprivileged `node` user.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY . .
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund \
 && mkdir -p explorer/dist

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=4000
WORKDIR /app
COPY package.json package-lock.json ./
# No install scripts: `postinstall` already ran in the build stage and needs dev dependencies,
# and no production dependency needs one of its own (esbuild, under tsx, works without).
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/tsconfig.json /app/schema.graphql ./
COPY --from=build /app/prisma/migrations ./prisma/migrations
COPY --from=build /app/src ./src
# The GraphiQL explorer's bundle, when `postinstall` builds one (else an empty folder).
COPY --from=build /app/explorer/dist ./explorer/dist
COPY --from=build /app/docker/entrypoint.sh ./docker/entrypoint.sh
# Only the embedded database's folder (used when DATABASE_URL is unset) is writable.
RUN mkdir -p data && chown node:node data
USER node
EXPOSE 4000
# Liveness: /healthz answers 200 while the process serves. Node's fetch, as the slim image
# has no curl; the first start migrates and seeds, hence the start period.
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT || 4000}/healthz`, { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# The entrypoint migrates and seeds (each does nothing once done), then execs the command:
# node itself receives SIGTERM and drains the requests in flight; npm would not pass it on.
ENTRYPOINT ["docker/entrypoint.sh"]
# A larger young generation: each request allocates a few hundred kB that die young, and
# scavenging them in the default space costs about a fifth of the CPU of a request.
CMD ["node", "--max-semi-space-size=32", "--import", "tsx", "src/index.ts"]
