# placeholder for tests/__init__.py in the repository
