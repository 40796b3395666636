"""Realistic help-desk data: `deskboard seed --tickets N` for volume, `--demo` to look around."""
