# Overmind API and worker image. Build: docker build -t overmind .
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN npm install -g pnpm@12.4.2
COPY . .
RUN pnpm install --frozen-lockfile && pnpm run build

FROM node:20-bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends openssh-client ipmitool ca-certificates \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app /app
ENV NODE_ENV=production HOST=0.0.0.0 PORT=8080 OVERMIND_HOME=/var/lib/overmind
# OVERMIND_HOME belongs to the user the service runs as; a named volume mounted on the kitchen
# directory takes this ownership when first created.
RUN mkdir -p /var/lib/overmind/kitchen && chown -R node:node /var/lib/overmind
USER node
EXPOSE 8080
ENTRYPOINT ["node", "apps/api/bin/overmind.js"]
CMD ["start"]
