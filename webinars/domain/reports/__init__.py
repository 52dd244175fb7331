"""The cooperation report: periods, figures counted in the database, their cache, and
what the public page may show."""
