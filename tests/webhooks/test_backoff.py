"""Retry delays grow exponentially, stay under the cap, and are jittered."""

from deskboard.config import get_settings
from deskboard.webhooks.worker import retry_delay


def test_delays_double_per_attempt_within_half_to_all_of_the_step_and_stop_at_the_cap():
    settings = get_settings().model_copy(
        update={"webhook_retry_base_seconds": 30.0, "webhook_retry_max_seconds": 3600.0}
    )
    for attempt, step in [(1, 30), (2, 60), (3, 120), (5, 480), (8, 3600), (20, 3600)]:
        delays = [retry_delay(attempt, settings) for _ in range(200)]
        assert all(step / 2 <= d <= step for d in delays), attempt
        assert len(set(delays)) > 100  # jitter: not one fixed value
