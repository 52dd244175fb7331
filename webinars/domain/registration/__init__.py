"""Student registration: sign-ups, seats, waiting list, manage links, notices, retention."""
