# syntax=docker/dockerfile:1
# Production image of the identity provider (and, with another command, of the demo EHR modules).
# The app runs its TypeScript through tsx, so there is no compile step: the image holds the sources.

ARG NODE_IMAGE=node:22-bookworm-slim

# --- Production dependencies, exactly as locked. Install scripts stay off (as in development):
# argon2 loads its prebuilt binary from the npm package, so no compiler is needed.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --ignore-scripts --no-audit --no-fund

# --- tsx is still a devDependency: take it (and esbuild, its only dependency) from a full install of
# the same lockfile. Once tsx moves to "dependencies" this stage and its COPY lines can go.
FROM ${NODE_IMAGE} AS tsx
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --ignore-scripts --no-audit --no-fund

# --- Runtime: no npm cache, no dev tools, not root.
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    DATA_DIR=/app/data
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=tsx /app/node_modules/tsx ./node_modules/tsx
COPY --from=tsx /app/node_modules/esbuild ./node_modules/esbuild
COPY --from=tsx /app/node_modules/@esbuild ./node_modules/@esbuild
# Sources, views and example config; .dockerignore keeps out secrets, tests and local state.
COPY . .
# The "node" user (uid 1000) comes with the base image; only the data directory is writable by it.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
# Readiness through the provider's /readyz (store reachable, signing keys loaded): orchestrators and
# compose's depends_on route traffic by it. The slim image has no curl, so Node asks; with TLS the
# provider's own (possibly self-signed) certificate is accepted for this loopback probe only.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "const s=process.env.TLS_CERT_FILE?require('node:https'):require('node:http');s.get({host:'127.0.0.1',port:process.env.PORT||3000,path:'/readyz',rejectUnauthorized:false,timeout:4000},r=>process.exit(r.statusCode===200?0:1)).on('error',()=>process.exit(1)).on('timeout',()=>process.exit(1))"]
# tsx as a loader, not its CLI, so SIGTERM reaches the app's own graceful shutdown without a wrapper.
CMD ["node", "--import", "tsx", "src/main.ts"]
