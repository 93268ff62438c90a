# placeholder for src/manage.py in the repository
