"""A full disk: the sale is refused with a clear message, nothing partial is left, and the
register sells again once space is freed. Uses a small tmpfs (needs root, as in CI)."""

import os
import sqlite3
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pos_app.core.cart import Cart
from pos_app.core.tender import TenderSession
from pos_app.services import checkout
from pos_app.services.catalog import CatalogService, ScanRefusal
from pos_app.services.demo import create_demo_event
from pos_app.services.sales import SaleService
from pos_app.store.engine import Database
from pos_app.store.errors import DiskFull, StoreError


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root (CI runs as root)")
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount_point)],
                            capture_output=True, check=False)
    if result.returncode != 0:
        pytest.skip(f"cannot mount tmpfs here: {result.stderr.decode().strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def _cart(catalog: CatalogService, count: int) -> Cart:
    cart = Cart(catalog.policy())
    number = 1
    while len(cart) < count:
        item = catalog.lookup(f"1001-{number:04d}")
        number += 1
        if not isinstance(item, ScanRefusal):
            checkout.add_item(cart, item, datetime.now(UTC))
    return cart


def _fill(directory: Path) -> Path:
    filler = directory / "filler.bin"
    with filler.open("wb") as out:
        try:
            while True:
                out.write(b"\0" * 65536)
                out.flush()
        except OSError:
            pass
    return filler


def test_full_disk_refuses_the_sale_and_loses_nothing(small_disk: Path) -> None:
    database = Database.open(small_disk / "register.sqlite3")
    context = create_demo_event(database, items=300)
    catalog = CatalogService(database, context)
    sales = SaleService(database, context, lambda: datetime.now(UTC))
    cart = _cart(catalog, 30)
    totals = cart.totals()
    tenders = TenderSession(totals.total_cents)
    tenders.add_cash(totals.total_cents)
    paid = tenders.finish()
    filler = _fill(small_disk)

    with pytest.raises(StoreError) as refused:
        sales.complete(cart.lines, paid, "demo-cashier", None)
    assert isinstance(refused.value, DiskFull)
    assert "Nothing was saved" in str(refused.value)

    filler.unlink()
    with sqlite3.connect(small_disk / "register.sqlite3") as raw:
        assert raw.execute("SELECT COUNT(*) FROM sales").fetchone()[0] == 0
        assert raw.execute("SELECT COUNT(*) FROM sale_lines").fetchone()[0] == 0
        assert raw.execute("SELECT COUNT(*) FROM outbox").fetchone()[0] == 0
    sale = sales.complete(cart.lines, paid, "demo-cashier", None)
    assert sale.seq == 1
    database.close()
