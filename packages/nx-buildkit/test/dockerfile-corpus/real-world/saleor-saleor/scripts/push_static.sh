# placeholder for scripts/push_static.sh in the repository
