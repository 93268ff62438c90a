/** Port the generated nginx listens on: above 1024, so nginx runs as a non-root user without extra capabilities. */
export const NGINX_PORT = 8080;

/**
 * A complete nginx.conf for a single-page app, runnable as a non-root user (pid and temp files in /tmp, logs to
 * stdout/stderr): deep links fall back to index.html, hashed assets are cached for a year, index.html never.
 */
export function renderNginxConf(): string {
  return `# Written by nx-buildkit: serves the single-page app as a non-root user.
worker_processes auto;
pid /tmp/nginx.pid;
error_log /dev/stderr warn;

events {
  worker_connections 1024;
}

http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log /dev/stdout;
  sendfile on;
  server_tokens off;
  client_body_temp_path /tmp/client_temp;
  proxy_temp_path /tmp/proxy_temp;
  fastcgi_temp_path /tmp/fastcgi_temp;
  uwsgi_temp_path /tmp/uwsgi_temp;
  scgi_temp_path /tmp/scgi_temp;

  server {
    listen ${NGINX_PORT};
    root /usr/share/nginx/html;
    index index.html;

    # File names that carry a content hash (Vite: assets/index-3f2a9c1b.js, Angular: main-3F2A9C1B.js) never change.
    location ~* "-[A-Za-z0-9_]{8,}\\.(?:js|mjs|css|woff2?|ttf|png|jpe?g|gif|svg|webp|avif|ico|map)$" {
      expires 1y;
      add_header Cache-Control "public, max-age=31536000, immutable";
      try_files $uri =404;
    }

    location = /index.html {
      add_header Cache-Control "no-cache";
    }

    # Client-side routes: any path that is not a file is the app.
    location / {
      add_header Cache-Control "no-cache";
      try_files $uri $uri/ /index.html;
    }
  }
}
`;
}
