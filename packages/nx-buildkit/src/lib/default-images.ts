/**
 * Base images the generators write by default: pinned to a major version and a Debian release so a rebuild next
 * month starts from the same system. scripts/base-images.sh builds stand-ins with exactly these names for test hosts
 * without registry access.
 */
export const DEFAULT_PYTHON_IMAGE = 'python:3.11-slim-bookworm';
export const DEFAULT_NODE_IMAGE = 'node:20-bookworm-slim';
export const DEFAULT_NGINX_IMAGE = 'nginx:1.27-bookworm';
