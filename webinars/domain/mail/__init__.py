"""Mail: the outbox every area queues into, and which area writes which kind of email.

- outbox: messages are rows first; a worker claims and delivers each one once;
- compose: asks the area that wrote a message to render it, or to say it is no longer
  wanted (the worker and the outbox page ask here).
"""
