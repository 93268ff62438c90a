# placeholder for saleor/__init__.py in the repository
