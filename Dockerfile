# Infra-Watch server image: Next.js standalone output plus the agent executables it serves.
#   docker build -t infra-watch .
#   docker run -p 3000:3000 -v iw-data:/data infra-watch                       (embedded PGlite)
#   docker run -p 3000:3000 -e DATABASE_URL=postgres://... -e AUTH_SECRET=... infra-watch   (IW_WORKERS processes)
FROM node:20.20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM deps AS build
WORKDIR /app
COPY . .
ENV NEXT_OUTPUT=standalone NEXT_TELEMETRY_DISABLED=1
RUN node node_modules/next/dist/bin/next build && node scripts/build-agent.mjs

FROM node:20.20-bookworm-slim AS run
WORKDIR /app
ENV NODE_ENV=production PORT=3000 HOSTNAME=0.0.0.0 IW_DATA_DIR=/data IW_LOCAL_AGENT=0 NEXT_TELEMETRY_DISABLED=1
COPY --from=build /app/.next/standalone ./
COPY --from=build /app/.next/static ./.next/static
COPY --from=build /app/public ./public
COPY --from=build /app/drizzle ./drizzle
COPY --from=build /app/dist/agent ./dist/agent
# IW_WORKERS server processes on one port (default: the cores on PostgreSQL, 1 on PGlite).
COPY --from=build /app/scripts/serve.mjs ./scripts/serve.mjs
COPY --from=build /app/scripts/lib/workers.mjs ./scripts/lib/workers.mjs
# The data volume holds password hashes and secrets: owned by the unprivileged user the server
# runs as, 0700 (a new named volume copies this owner and mode). The server itself sets umask 077,
# repairs modes at start, and refuses a /data owned by another uid (e.g. a root-owned bind mount:
# chown it to uid 1000).
RUN mkdir -p /data && chown node:node /data && chmod 0700 /data
USER node
VOLUME /data
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s CMD node -e "fetch('http://127.0.0.1:3000/api/health').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
CMD ["node", "scripts/serve.mjs"]
