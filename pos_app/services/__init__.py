"""Use cases on top of the domain core and the store, with no Qt: what the GUI and CLI call."""
