# placeholder for datasette/__init__.py in the repository
