"""The realtime kit's served app and socket factory, for the request-id tests of sockets."""

from tests.realtime.conftest import open_socket, ws_url  # noqa: F401 - fixtures
