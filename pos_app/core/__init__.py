"""Pure domain of the checkout: money, tags, pricing, cart, tenders and sales.

Nothing in this package imports Qt, SQLAlchemy or httpx (tests/unit/test_architecture.py
enforces it), so every rule here is testable in microseconds and reusable from the GUI,
the store, the sync module and the command line alike.
"""
