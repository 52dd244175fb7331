"""Partner academies taking part: coordinators invited by email, lecture requests, seats
reserved for an academy's students and their nominations, the coordinator's dashboard and
the news coordinators get about their sessions."""
