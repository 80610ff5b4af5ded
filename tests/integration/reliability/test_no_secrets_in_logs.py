"""No token, PIN or card reference reaches a log line, even on the failure paths."""

import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pos_app.core.cart import Cart
from pos_app.core.tender import TenderSession
from pos_app.devtools.admin_client import (
    AdminClient,
    dates_around_today,
    demo_catalog_items,
    demo_consignors,
)
from pos_app.devtools.local_worker import LocalWorker
from pos_app.logsetup import RedactingFilter, redact
from pos_app.services import checkout
from pos_app.services.cashiers import CashierService
from pos_app.services.catalog import CatalogService, ScanRefusal
from pos_app.services.sales import SaleService
from pos_app.services.setup import MemoryTokenStore, configure_register
from pos_app.store.engine import Database
from pos_app.sync.client import AuthFailed, CentralClient
from pos_app.sync.pull import Puller
from pos_app.sync.service import SyncService

EVENT, REGISTER = "secrets-event", "secrets-register"
PIN, CARD_REFERENCE = "73915", "AUTH-5519-SECRET"


@pytest.mark.worker
def test_sync_login_and_card_sale_log_no_secrets(
    local_worker: LocalWorker, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    admin = AdminClient(local_worker.url, local_worker.admin_token)
    admin.put_event(EVENT, name="Secrets", **dates_around_today())
    admin.upsert_consignors(EVENT, demo_consignors(5, prefix="secrets-"))
    admin.upsert_items(EVENT, demo_catalog_items(50, consignors=5, prefix="secrets-"))
    token = admin.create_register(EVENT, REGISTER)
    caplog.set_level(logging.DEBUG)

    database = Database.open(tmp_path / "register.sqlite3")
    context = configure_register(database, MemoryTokenStore(), register_id=REGISTER,
                                 event_id=EVENT, name="R", server_url=local_worker.url,
                                 token=token)
    client = CentralClient(local_worker.url, token, REGISTER, EVENT)
    Puller(database, client, REGISTER).pull_catalog()
    cashiers = CashierService(database)
    cashiers.create("Pat", PIN, "manager")
    assert cashiers.login(PIN) is not None
    catalog = CatalogService(database, context)
    cart = Cart(catalog.policy())
    item = catalog.lookup("1001-0001")
    assert not isinstance(item, ScanRefusal)
    checkout.add_item(cart, item, datetime.now(UTC))
    tenders = TenderSession(cart.totals().total_cents)
    tenders.add_card(cart.totals().total_cents, CARD_REFERENCE)
    SaleService(database, context, lambda: datetime.now(UTC)).complete(
        cart.lines, tenders.finish(), "c", None)
    SyncService(database, client, REGISTER).run_once()

    admin.revoke_register(REGISTER)
    with pytest.raises(AuthFailed) as refused:
        SyncService(database, client, REGISTER).run_once()
    assert token not in str(refused.value)

    logged = caplog.text + "\n".join(str(r.args) for r in caplog.records)
    for secret in (token, PIN, CARD_REFERENCE, local_worker.admin_token):
        assert secret not in logged
    client.close()
    admin.close()
    database.close()


def test_redacting_filter_removes_what_slips_through() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1,
                               "headers %s", ({"authorization": "Bearer abc.def-123"},), None)
    RedactingFilter().filter(record)
    assert "abc.def-123" not in record.getMessage()
    assert "s3cr3t" not in redact("token=s3cr3t pin: 1234")
    assert "1234" not in redact("token=s3cr3t pin: 1234")
