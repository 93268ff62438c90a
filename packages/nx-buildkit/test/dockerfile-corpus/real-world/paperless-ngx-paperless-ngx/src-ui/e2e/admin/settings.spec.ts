// placeholder for src-ui/e2e/admin/settings.spec.ts in the repository
