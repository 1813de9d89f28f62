"""placeworks."""
