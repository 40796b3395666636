"""Cross-cutting pieces with no business rules: errors, time, event emission."""
