"""pos_app: an offline-first checkout for consignment sale events."""

__version__ = "0.1.0"
