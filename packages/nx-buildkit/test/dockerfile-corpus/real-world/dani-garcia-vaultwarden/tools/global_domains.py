# placeholder for tools/global_domains.py in the repository
