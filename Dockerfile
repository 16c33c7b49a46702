# syntax=docker/dockerfile:1
# Production image of the identity provider (and, with another command, of the demo EHR modules).
# The app is compiled (npm run build: tsc emits dist/ with source maps); the image runs plain Node,
# no tsx or TypeScript at run time.

ARG NODE_IMAGE=node:22-bookworm-slim

# --- Production dependencies, exactly as locked. Install scripts stay off (as in development):
# argon2 loads its prebuilt binary from the npm package, so no compiler is needed.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --ignore-scripts --no-audit --no-fund

# --- Build: the full install (TypeScript), then dist/ from src/.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
RUN npm run build

# --- Runtime: no npm cache, no dev tools, not root.
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    DATA_DIR=/app/data
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# Views (pug, static files), the locales and example config, read from dist/ by relative paths (test/unit/ops/docker-image.test.ts); package.json for
# "type": "module". .dockerignore keeps out secrets, tests and local state.
COPY package.json ./
COPY views ./views
COPY locales ./locales
COPY config ./config
# The "node" user (uid 1000) comes with the base image; only the data directory is writable by it.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
# Readiness through the provider's /readyz (store reachable, signing keys loaded): orchestrators and
# compose's depends_on route traffic by it. The slim image has no curl, so Node asks; with TLS the
# provider's own (possibly self-signed) certificate is accepted for this loopback probe only.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "const s=process.env.TLS_CERT_FILE?require('node:https'):require('node:http');s.get({host:'127.0.0.1',port:process.env.PORT||3000,path:'/readyz',rejectUnauthorized:false,timeout:4000},r=>process.exit(r.statusCode===200?0:1)).on('error',()=>process.exit(1)).on('timeout',()=>process.exit(1))"]
# Node itself, not npm, so SIGTERM reaches the app's own graceful shutdown without a wrapper. The
# operator CLI in the image: `node dist/cli/index.js <group> <command>`.
CMD ["node", "--enable-source-maps", "dist/main.js"]
