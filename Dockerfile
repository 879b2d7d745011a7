# syntax=docker/dockerfile:1
# Accord's image; `docker compose up` builds and starts it beside Postgres.
# The build stage installs every dependency (`postinstall` generates the Prisma client into
# src/generated/prisma and bundles the explorer), then docker/assemble.sh builds the runtime's
# folder in /image: Accord compiled to JavaScript, the files it reads, and only the production
# dependencies that a runtime on a Postgres server loads (`npm run image:check` builds the same
# folder without Docker, measures it and starts the server from it). The runtime stage is that
# folder alone, run by node as the unprivileged `node` user.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY . .
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund \
 && mkdir -p explorer/dist
RUN --mount=type=cache,target=/root/.npm docker/assemble.sh /image

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=4000
WORKDIR /app
COPY --from=build /image ./
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
CMD ["node", "--max-semi-space-size=32", "dist/index.js"]
