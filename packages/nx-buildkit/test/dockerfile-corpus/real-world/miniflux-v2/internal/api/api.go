// placeholder for internal/api/api.go in the repository
