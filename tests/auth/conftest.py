from deskboard.auth.ratelimit import reset_rate_limits
from tests.conftest import register_reset

# Rate-limit counts are process-wide: forget them after each test so tests stay independent.
register_reset(reset_rate_limits)
