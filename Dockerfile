# syntax=docker/dockerfile:1
# The headless gateway as a container: `docker compose up` (docker-compose.yml) or
#   docker build -t llm-gateway . && docker run -p 4000:4000 -e LITELLM_MASTER_KEY=sk-… -v llm-gateway-data:/data llm-gateway
# Two stages: `build` has the toolchain (better-sqlite3 compiles from source when no prebuilt binary fits)
# and every devDependency (esbuild, vite); `runtime` has Node, the production dependencies, the built
# JavaScript and the price table — no sources, no compiler. e2e/dockerfile.test.ts runs these steps on a
# copy of the tree: change both together.

FROM node:20-bookworm-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# Electron is a devDependency for the desktop app; the container never runs it, so its binary is not fetched.
ENV ELECTRON_SKIP_BINARY_DOWNLOAD=1
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY scripts ./scripts
COPY server ./server
COPY renderer ./renderer
COPY resources ./resources
# The gateway (dist/server) and the dashboard (renderer/dist); the desktop bundles are not needed here.
RUN node scripts/build.mjs server ui
RUN npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    LLM_GATEWAY_DATA_DIR=/data \
    LLM_GATEWAY_SECRET_BACKEND=encrypted-file \
    PORT=4000
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist/server ./dist/server
COPY --from=build /app/renderer/dist ./renderer/dist
COPY --from=build /app/resources/model_prices_and_context_window.json ./resources/
COPY config.yaml ./
# A fresh named volume takes the ownership of the image's folder: the gateway (user node, uid 1000 in the
# official Node images) owns /data — config edits, SQLite, secrets.enc, the spend journal.
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 4000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4000) + '/health/liveliness').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# It listens on every interface of the container, so it refuses to start without a master key (the gateway
# itself only warns; a container port is usually published). Arguments (CMD, compose's `command:`) go to the
# gateway's CLI after --host and --port.
ENTRYPOINT ["/bin/sh", "-c", "if [ -z \"$LITELLM_MASTER_KEY\" ]; then echo 'LLM Gateway: LITELLM_MASTER_KEY is not set. The container listens on 0.0.0.0, so it needs a master key: set LITELLM_MASTER_KEY (in .env with docker compose, or docker run -e LITELLM_MASTER_KEY=sk-...).' >&2; exit 64; fi; exec node dist/server/main.js --host 0.0.0.0 --port \"${PORT:-4000}\" \"$@\"", "llm-gateway"]
CMD ["--config", "/app/config.yaml"]
