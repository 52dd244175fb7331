"""Staff accounts and partner academies: the rules admins work within.

- staff: creating and editing accounts (details, roles, never without an active admin);
- sign_in: checking an email and password, in the same time whatever the outcome;
- academies: an academy's slug, archiving and restoring it.
"""
