"""Business rules: plain functions over models. Nothing here reads the request."""
