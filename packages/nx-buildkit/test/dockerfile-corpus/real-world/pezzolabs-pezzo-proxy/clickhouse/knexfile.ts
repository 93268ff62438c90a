// placeholder for clickhouse/knexfile.ts in the repository
