// placeholder for extra/download-apprise.mjs in the repository
