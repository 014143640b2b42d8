"""deboil: command line that wires crawler/ -> cleaners/ -> db/."""
