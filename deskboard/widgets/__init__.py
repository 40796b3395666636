"""The widget catalogue: types registered through the `deskboard.widgets` entry point group."""
