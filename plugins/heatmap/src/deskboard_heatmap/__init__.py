"""Ticket heat map: a Deskboard plugin (widget in a sandboxed iframe, one read route)."""
