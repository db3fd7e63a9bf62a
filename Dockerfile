# Accelero as a container: `npm run image` builds it (scripts/build-image.sh), deploy/compose.yaml
# runs it. The build context is the source plus node_modules as `npm ci` left it on the build
# host, so the build itself needs no package registry.
#
# PID 1 is tini (Debian's): it forwards SIGTERM to Accelero, which drains and exits 0, and reaps
# the orphans git leaves behind (a credential helper or ssh of a git process that was stopped on
# timeout); node as PID 1 would reap nothing and ignore signals it installs no handler for.
ARG BASE_IMAGE=node:20-bookworm-slim

# Production dependencies only, pruned without npm or a registry.
FROM ${BASE_IMAGE} AS dependencies
WORKDIR /app
COPY package.json package-lock.json ./
COPY node_modules ./node_modules
COPY scripts/prune-dev-dependencies.mjs ./scripts/
RUN node scripts/prune-dev-dependencies.mjs

# What scripts/build.sh builds (the dashboard bundle), with every dependency at hand.
FROM ${BASE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json ormconfig.ts ./
COPY node_modules ./node_modules
COPY scripts ./scripts
COPY dashboard ./dashboard
COPY src ./src
COPY actors ./actors
COPY machines ./machines
COPY persistence ./persistence
COPY bin ./bin
RUN bash scripts/build.sh

FROM ${BASE_IMAGE}
ARG BASE_IMAGE
# git (with ca-certificates and ssh) fetches the stacks' repositories; tini is PID 1. A base that
# already has them (the one scripts/image-base.sh builds offline) needs no network here.
RUN missing=""; \
    for tool in git tini ssh; do command -v "$tool" >/dev/null || missing=1; done; \
    [ -f /etc/ssl/certs/ca-certificates.crt ] || missing=1; \
    if [ -n "$missing" ]; then \
      apt-get update -qq && \
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends git ca-certificates tini openssh-client && \
      rm -rf /var/lib/apt/lists/*; \
    fi
WORKDIR /app
COPY --from=dependencies /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# bin/accelero runs the build (dist/server, with the compose worker and the migrations): the
# TypeScript sources are not needed at run time.
COPY package.json ./
COPY bin ./bin
RUN /app/bin/accelero --help >/dev/null

# Relative bind mounts of a stack resolve under STACKS_DATA_DIR: mount the data directory at
# the same absolute path on the host (deploy/compose.yaml) or set HOST_STACKS_DATA_DIR.
ENV NODE_ENV=production \
    DATABASE_PATH=/var/lib/accelero/accelero.db \
    STACKS_DATA_DIR=/var/lib/accelero/stacks \
    SERVER_PORT=8000
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.SERVER_PORT||8000)+'/readyz').then(r=>process.exit(r.status===200?0:1),()=>process.exit(1))"]

ARG VERSION=0.1.0
ARG REVISION=unknown
ARG CREATED=unknown
LABEL org.opencontainers.image.title="accelero" \
      org.opencontainers.image.description="GitOps for Docker Compose: keeps compose stacks on a Docker host converged with git" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.base.name="${BASE_IMAGE}"

ENTRYPOINT ["/usr/bin/tini", "--", "/app/bin/accelero"]
CMD ["serve"]
