"""Sessions: scheduling, conflicts, time zones, places, who may see them, how people join."""
