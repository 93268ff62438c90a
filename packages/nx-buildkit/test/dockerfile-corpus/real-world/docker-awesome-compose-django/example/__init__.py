# placeholder for django/app/example/__init__.py in the repository
