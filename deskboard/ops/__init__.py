"""Operations: logging and request ids, readiness, start-up checks, backup and restore."""
