"""What an operator watches: Prometheus metrics and structured logs.

Infrastructure like `extensions`: the metric objects here import nothing of the app, so
any layer (the Zoom client, the feed cache, the web) may count into them.
"""
