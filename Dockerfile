# syntax=docker/dockerfile:1
# The image runs the package exactly as `npm pack` ships it: the build stage makes the tarball,
# the runtime stage installs it with production dependencies only (the same steps that
# test/package.test.ts runs on every CI run).
ARG NODE_VERSION=22

FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN mkdir /pkg && npm pack --pack-destination /pkg

FROM node:${NODE_VERSION}-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000
WORKDIR /app
COPY --from=build /pkg/ /tmp/pkg/
# The tarball carries npm-shrinkwrap.json: `npm ci` installs exactly the tested versions.
RUN tar -xzf /tmp/pkg/follow-through-*.tgz --strip-components=1 -C /app \
 && rm -rf /tmp/pkg \
 && npm ci --omit=dev --no-audit --no-fund \
 && npm cache clean --force
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Exec form, no shell in between: node is PID 1 and receives `docker stop`'s SIGTERM itself;
# the server handles it (stops taking work, drains, exits 0).
CMD ["node", "bin/follow-through.js", "serve"]
