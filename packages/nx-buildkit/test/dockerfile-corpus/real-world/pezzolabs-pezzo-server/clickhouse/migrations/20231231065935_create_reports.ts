// placeholder for clickhouse/migrations/20231231065935_create_reports.ts in the repository
