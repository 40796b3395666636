"""Per-person dashboard layouts: versioned documents with history, restore and role templates."""
