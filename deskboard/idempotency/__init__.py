"""Idempotency keys: a retried create returns the first answer instead of creating twice."""
