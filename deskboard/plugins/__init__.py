"""Plugins: third-party packages that add widget types, routes, tables, listeners and a
prebuilt front end through the `deskboard.widgets` entry point group (DESIGN.md, PLUGINS.md)."""
