# placeholder for mealie/__init__.py in the repository
