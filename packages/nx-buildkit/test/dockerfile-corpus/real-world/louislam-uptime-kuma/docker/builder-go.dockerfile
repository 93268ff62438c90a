# placeholder for docker/builder-go.dockerfile in the repository
