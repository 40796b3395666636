"""On-call roster: a Deskboard plugin (widget, routes, own table, live updates)."""
