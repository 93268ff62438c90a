// placeholder for docker/proxy.ts in the repository
