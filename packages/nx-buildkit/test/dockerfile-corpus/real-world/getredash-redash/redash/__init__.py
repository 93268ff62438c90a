# placeholder for redash/__init__.py in the repository
