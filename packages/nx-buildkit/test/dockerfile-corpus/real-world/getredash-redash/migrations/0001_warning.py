# placeholder for migrations/0001_warning.py in the repository
