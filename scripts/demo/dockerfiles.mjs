// Cache-ordered Dockerfiles for the demo apps, written by hand as the seed team did. They are replaced by the
// output of `nx g nx-buildkit:backend|frontend` once those generators exist.

export const apiDockerfile = `# Layers are ordered from what changes least (base, system packages, dependencies) to what changes most (src/):
# a code-only change rebuilds only the last COPY.
FROM python:3.11-slim-bookworm AS base
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \\
    --mount=type=cache,target=/var/lib/apt/lists,sharing=locked \\
    rm -f /etc/apt/apt.conf.d/docker-clean \\
 && apt-get update \\
 && apt-get install -y --no-install-recommends curl

FROM base AS builder
WORKDIR /app
COPY requirements.prod.txt ./
RUN --mount=type=cache,target=/root/.cache/pip \\
    mkdir -p /install && pip install --prefix=/install -r requirements.prod.txt

FROM base AS runtime
RUN useradd --create-home --uid 10001 appuser
WORKDIR /app
COPY --from=builder /install /usr/local
COPY --chown=appuser:appuser config/ /app/config/
COPY --chown=appuser:appuser main.py /app/
COPY --chown=appuser:appuser pyproject.toml /app/
COPY --chown=appuser:appuser src/ /app/src/
USER appuser
ENV PYTHONPATH=/app/src
EXPOSE 8000
CMD ["python", "main.py"]
`;

export const webDockerfile = `# Dependency manifests and install first, build configuration next, source last:
# a code-only change reuses the npm install layer.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY vite.config.js ./
COPY index.html ./
COPY src/ ./src/
RUN npm run build

FROM nginx:1.27-bookworm AS runtime
COPY nginx.conf /etc/nginx/conf.d/default.conf
COPY --from=build /app/dist /usr/share/nginx/html
EXPOSE 80
`;

export const webNginxConf = `server {
  listen 80;
  root /usr/share/nginx/html;
  location /assets/ {
    expires 1y;
    add_header Cache-Control "public, immutable";
  }
  location / {
    add_header Cache-Control "no-cache";
    try_files $uri $uri/ /index.html;
  }
}
`;

export const dockerignore = `node_modules
dist
.git
.env
.env.*
*.log
__pycache__
.venv
project.json
`;
