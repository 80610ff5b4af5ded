"""``pos-app admin`` against the real local Worker, as an organiser sets up an event:
create it, import 10,000 items from CSV, add 3 registers, print the enrollment sheet, read its
QR codes back with zbar, enroll a register with one (the code works once), sell and sync, and
export the sales. Bad CSV files are refused whole, naming their lines, and nothing is sent.
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend

from pos_app import admin_cli
from pos_app.core.cart import Cart
from pos_app.core.money import percent_of
from pos_app.core.tender import TenderSession
from pos_app.devtools.admin_client import AdminClient
from pos_app.devtools.local_worker import LocalWorker
from pos_app.services import checkout
from pos_app.services.enrollment import EnrollmentTicket, parse_ticket
from pos_app.services.setup import MemoryTokenStore
from pos_app.store.engine import Database
from pos_app.sync.enroll import EnrollmentRefused
from pos_app.ui.wiring import DatabaseSetup

pytestmark = pytest.mark.worker
CONSIGNORS, ITEMS_EACH = 100, 100  # 10,000 items


@pytest.fixture
def event_id() -> str:
    return f"ev-{uuid.uuid4().hex[:10]}"  # ids are global on the shared Worker


@pytest.fixture
def organiser(local_worker: LocalWorker, monkeypatch: pytest.MonkeyPatch) -> LocalWorker:
    monkeypatch.setenv("POS_ADMIN_URL", local_worker.url)
    monkeypatch.setenv("POS_ADMIN_TOKEN", local_worker.admin_token)
    return local_worker


def _admin(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = admin_cli.main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def _write_catalog(folder: Path) -> tuple[Path, Path]:
    consignors, items = folder / "consignors.csv", folder / "items.csv"
    with consignors.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["number", "name", "email", "phone", "split_percent"])
        writer.writerows([1000 + n, f"Consignor {n}", "", "", 60] for n in range(1, CONSIGNORS + 1))
    with items.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["consignor", "item", "description", "price", "category", "discountable"])
        for n in range(1, CONSIGNORS + 1):
            writer.writerows([1000 + n, i, f"Thing {n}/{i}", f"{1 + i % 20}.50", "Toys",
                              "yes" if i % 4 else "no"] for i in range(1, ITEMS_EACH + 1))
    return consignors, items


def _decode_sheet(pdf: Path, folder: Path) -> list[str]:
    from PIL import Image
    from pyzbar.pyzbar import ZBarSymbol, decode

    pdftoppm = shutil.which("pdftoppm")
    assert pdftoppm is not None, "poppler-utils (pdftoppm) is needed to read the sheet back"
    subprocess.run([pdftoppm, "-r", "150", "-png", str(pdf), str(folder / "page")], check=True,
                   timeout=120)
    found: list[str] = []
    for page in sorted(folder.glob("page*.png")):
        with Image.open(page) as image:
            found += [symbol.data.decode("ascii")
                      for symbol in decode(image, symbols=[ZBarSymbol.QRCODE])]
    return found


@pytest.fixture
def setups(tmp_path: Path) -> Iterator[list[DatabaseSetup]]:
    made: list[DatabaseSetup] = []
    yield made
    for setup in made:
        setup.close()
        setup.database.close()


def _register(tmp_path: Path, name: str, setups: list[DatabaseSetup]) -> DatabaseSetup:
    setup = DatabaseSetup(Database.open(tmp_path / f"{name}.sqlite3"), MemoryTokenStore(),
                          lambda: datetime.now(UTC))
    setups.append(setup)
    return setup


def test_an_organiser_sets_up_an_event_and_a_register_enrolls_from_the_sheet(
        organiser: LocalWorker, event_id: str, tmp_path: Path,
        capsys: pytest.CaptureFixture[str], setups: list[DatabaseSetup]) -> None:
    today = datetime.now(UTC).date()
    status, out, err = _admin(capsys, "events", "create", event_id, "--name", "Spring Sale",
                              "--starts", str(today), "--ends", str(today + timedelta(days=2)),
                              "--tax", "8.25", "--discount",
                              f"{today + timedelta(days=2)}T08:00=50")
    assert (status, err) == (0, "")
    status, out, _ = _admin(capsys, "events", "list")
    assert status == 0
    assert f"{event_id}\tSpring Sale" in out and "tax 8.25%" in out and "50% from" in out

    consignors, items = _write_catalog(tmp_path)
    assert _admin(capsys, "import", "consignors", event_id, str(consignors))[:2] == (
        0, f"{CONSIGNORS} consignors imported into {event_id}\n")
    assert _admin(capsys, "import", "items", event_id, str(items))[:2] == (
        0, f"{CONSIGNORS * ITEMS_EACH} items imported into {event_id}\n")

    registers = [f"{event_id}-r{n}" for n in (1, 2, 3)]
    assert _admin(capsys, "registers", "add", event_id, *registers)[0] == 0
    sheet = tmp_path / "sheet.pdf"
    status, out, err = _admin(capsys, "sheet", event_id, str(sheet))
    assert (status, err) == (0, "")
    assert "3 register(s) on 1 page(s)" in out

    tickets = [parse_ticket(text) for text in _decode_sheet(sheet, tmp_path)]
    assert sorted(ticket.register_id for ticket in tickets) == registers
    assert {(t.server_url, t.event_id) for t in tickets} == {(organiser.url, event_id)}
    ticket = next(t for t in tickets if t.register_id == registers[0])

    setup = _register(tmp_path, "r1", setups)
    services = setup.enroll(ticket.payload())
    assert (services.context.register_id, services.context.event_id) == (registers[0], event_id)
    assert setup.tokens.get(registers[0])
    with pytest.raises(EnrollmentRefused, match="already used or expired"):
        _register(tmp_path, "again", setups).enroll(ticket.payload())

    assert services.sync.sync_now is not None
    services.sync.sync_now()  # the catalog comes down
    catalog_item = services.catalog.lookup("1042-0007")
    cart = Cart(services.catalog.policy())
    assert isinstance(checkout.add_item(cart, catalog_item, datetime.now(UTC)), int)
    totals = cart.totals()
    tenders = TenderSession(totals.total_cents)
    tenders.add_cash(totals.total_cents)
    sale = services.sales.complete(cart.lines, tenders.finish(), "cashier", None)
    services.sync.sync_now()

    exported = tmp_path / "sales.csv"
    status, out, _ = _admin(capsys, "export", event_id, str(exported))
    assert (status, out) == (0, f"1 sales rows written to {exported}\n")
    with exported.open(encoding="utf-8") as rows:
        sold = list(csv.DictReader(rows))
    assert [(row["id"], row["register_id"], int(row["total_cents"])) for row in sold] == [
        (sale.id, registers[0], totals.total_cents)]
    settled = tmp_path / "settlement.csv"
    assert _admin(capsys, "export", event_id, str(settled), "--table", "settlement")[0] == 0
    with settled.open(encoding="utf-8") as rows:
        payouts = {int(row["consignor_number"]): row for row in csv.DictReader(rows)}
    assert len(payouts) == CONSIGNORS
    line = sale.lines[0]
    assert {k: int(payouts[1042][k]) for k in ("split_bp", "items_sold", "gross_cents",
                                               "consignor_share_cents", "house_cents")} == {
        "split_bp": 6000, "items_sold": 1, "gross_cents": line.price_cents,
        "consignor_share_cents": percent_of(line.price_cents, 6000),
        "house_cents": line.price_cents - percent_of(line.price_cents, 6000)}
    assert int(payouts[1041]["items_sold"]) == 0
    status, out, _ = _admin(capsys, "registers", "list", event_id)
    assert f"{registers[0]}\t{registers[0]}\tenrolled " in out
    assert f"{registers[1]}\t{registers[1]}\tnot enrolled" in out


def test_a_bad_items_file_is_refused_whole_with_its_lines(
        organiser: LocalWorker, event_id: str, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    assert _admin(capsys, "events", "create", event_id, "--name", "E", "--starts",
                  "2026-05-15", "--ends", "2026-05-16")[0] == 0
    bad = tmp_path / "items.csv"
    bad.write_text("consignor,item,description,price,condition\n"
                   "1001,1,Good row,5.00,good\n"
                   "1001,2,Bad price,five,good\n"
                   "1001,1,Same tag again,3.00,good\n"
                   "1001,3,Bad condition,3.00,mint\n", encoding="utf-8")
    status, _, err = _admin(capsys, "import", "items", event_id, str(bad))
    assert status == 1
    assert "3 problem(s), nothing imported" in err
    assert "line 3, price: 'five' is not an amount of money" in err
    assert "line 4, item: tag 1001-0001 is also on line 2" in err
    assert "line 5, condition: 'mint'" in err
    with AdminClient(organiser.url, organiser.admin_token) as admin:
        assert admin.export(event_id, "items") == []  # not even the good row went up
    missing = tmp_path / "nothing.csv"
    missing.write_text("number,name\n", encoding="utf-8")
    assert _admin(capsys, "import", "items", event_id, str(missing))[2].endswith(
        "line 1: missing column(s) consignor, item, description, price (the header needs "
        "consignor (or consignor_number), item (or item_number), description, price)\n")


def test_without_credentials_it_says_how_to_log_in_and_a_token_option_does_not_exist(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        tmp_path: Path) -> None:
    monkeypatch.delenv("POS_ADMIN_URL", raising=False)
    monkeypatch.delenv("POS_ADMIN_TOKEN", raising=False)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    status, _, err = _admin(capsys, "events", "list")
    assert status == 1
    assert "pos-app admin login --url" in err and "POS_ADMIN_TOKEN" in err
    with pytest.raises(SystemExit) as usage:
        admin_cli.main(["events", "list", "--token", "x" * 20])
    assert usage.value.code == 2


def test_a_ticket_round_trips_and_a_damaged_one_is_refused() -> None:
    ticket = EnrollmentTicket("https://pos.example.org", "spring-26", "reg-1", "A" * 32)
    assert parse_ticket(ticket.payload()) == ticket
    assert set(ticket.payload()) <= set(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789:?=&%._-")
    for damaged, reason in ((ticket.payload()[:-30], "incomplete"),
                            ("1001-0001", "not an enrollment code"),
                            (ticket.payload().replace("v=1", "v=9"), "another version")):
        with pytest.raises(ValueError, match=reason):
            parse_ticket(damaged)


class MemoryKeyring(KeyringBackend):
    """A whole keyring backend kept in a dict (this machine has no Secret Service)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.passwords.pop((service, username), None)


@pytest.fixture
def memory_keyring(monkeypatch: pytest.MonkeyPatch) -> Iterator[MemoryKeyring]:
    monkeypatch.delenv("POS_ADMIN_URL", raising=False)
    monkeypatch.delenv("POS_ADMIN_TOKEN", raising=False)
    previous = keyring.get_keyring()
    store = MemoryKeyring()
    keyring.set_keyring(store)
    yield store
    keyring.set_keyring(previous)


def test_login_checks_the_token_then_keeps_it_in_the_keyring_only(
        local_worker: LocalWorker, memory_keyring: MemoryKeyring,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("wrong-token-0123456789\n"))
    status, _, err = _admin(capsys, "login", "--url", local_worker.url)
    assert status == 1 and "401 unauthorized: Wrong admin token" in err
    assert memory_keyring.passwords == {}

    monkeypatch.setattr("sys.stdin", io.StringIO(local_worker.admin_token + "\n"))
    status, out, _ = _admin(capsys, "login", "--url", local_worker.url)
    assert status == 0 and "the token is in the keyring" in out
    assert local_worker.admin_token not in out
    assert memory_keyring.passwords == {("pos_app-admin", "url"): local_worker.url,
                                        ("pos_app-admin", "token"): local_worker.admin_token}
    assert _admin(capsys, "events", "list")[0] == 0  # from the keyring alone
