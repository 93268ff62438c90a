// placeholder for src/main.rs in the repository
