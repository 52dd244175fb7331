"""Running the service: what its state says about its health, and which worker is alive.

- figures: outbox backlog, registrations, heartbeats and Zoom budget for /metrics;
- workers: every worker's name and heartbeat, and whether the holder of a claim or a
  lease has gone quiet (the outbox and the Zoom lease ask it).
"""
