"""Background sync with the central D1 API: outbox push under D1's limits, catalog pull.

Runs without Qt: the GUI adapts :class:`pos_app.sync.status.StatusBoard` to a signal, and the
``pos-app sync`` command drives the same code headless.
"""
