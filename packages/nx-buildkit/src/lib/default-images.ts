/**
 * Base images the generators write by default: pinned to a major version and a Debian release so a rebuild next
 * month starts from the same system. scripts/base-images.sh builds stand-ins with exactly these names for test hosts
 * without registry access.
 */
export const DEFAULT_PYTHON_IMAGE = 'python:3.11-slim-bookworm';
export const DEFAULT_NODE_IMAGE = 'node:20-bookworm-slim';
/**
 * NGINX's unprivileged build of the official image: it runs as uid 101 and declares only the port it listens on
 * (8080). FROM the official nginx, the image would also declare its EXPOSE 80, where nothing listens once nginx runs
 * as a non-root user, and `docker run -P` would publish both.
 */
export const DEFAULT_NGINX_IMAGE = 'nginxinc/nginx-unprivileged:1.27-bookworm';
