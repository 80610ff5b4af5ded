"""Fuzzed push payloads against the real Worker: wrong types, missing fields, SQL
metacharacters, unknown tables, oversized chunks. Each gets a clear 4xx JSON error (never a
500) and writes nothing; only a payload that is still valid may be applied."""

import copy
import json
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pos_app.core.cart import CartLine
from pos_app.core.journal import GENESIS_HASH, next_entry
from pos_app.core.pricing import PricingPolicy
from pos_app.core.sale import SaleHeader, build_sale, utc_timestamp
from pos_app.core.tender import Tender, TenderKind
from pos_app.core.wire import TABLE_ORDER, sale_bundle
from pos_app.devtools.admin_client import AdminClient, dates_around_today
from pos_app.devtools.local_worker import LocalWorker

EVENT, REGISTER = "fuzz-event", "fuzz-register"
pytestmark = pytest.mark.worker

nasty = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**63), max_value=2**63),
    st.floats(allow_nan=True), st.text(max_size=40),
    st.sampled_from(["'; DROP TABLE sales; --", "\" OR 1=1 --", "x' || (SELECT token_hash "
                     "FROM registers) || '", "\x00", "😀" * 30, "a" * 600]),
    st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=5), st.integers(),
                                                         max_size=2),
)


@pytest.fixture(scope="module")
def target(local_worker: LocalWorker) -> Any:
    admin = AdminClient(local_worker.url, local_worker.admin_token)
    admin.put_event(EVENT, name="Fuzz", **dates_around_today())
    token = admin.create_register(EVENT, REGISTER)
    http = httpx.Client(base_url=local_worker.url, timeout=httpx.Timeout(30.0),
                        headers={"authorization": f"Bearer {token}"})
    yield admin, http
    http.close()
    admin.close()


def _valid_payload() -> dict[str, Any]:
    lines = [CartLine(f"fuzz-item-{k}", f"1001-{k:04d}", 1001, "Item", 500, 0)
             for k in range(1, 4)]
    header = SaleHeader("fuzz-sale-1", EVENT, REGISTER, None, "cashier", utc_timestamp())
    sale = build_sale(header, 1, lines, [Tender(TenderKind.CASH, 1500, 2000, 500)],
                      PricingPolicy())
    entry = next_entry(1, "sale", sale.id, GENESIS_HASH, sale.canonical_json())
    bundle = sale_bundle(sale, entry)
    chunks = [{"table": t, "rows": bundle[t]} for t in TABLE_ORDER if t in bundle]
    return {"event_id": EVENT, "first_seq": 1, "last_seq": 1, "chunks": chunks}


@st.composite
def mutated(draw: st.DrawFn) -> dict[str, Any]:
    payload = _valid_payload()
    chunk = draw(st.sampled_from(payload["chunks"]))
    row = draw(st.sampled_from(chunk["rows"]))
    kind = draw(st.sampled_from(["value", "drop", "extra", "table", "chunks", "oversize",
                                 "field"]))
    if kind == "value":
        row[draw(st.integers(0, len(row) - 1))] = draw(nasty)
    elif kind == "drop":
        row.pop(draw(st.integers(0, len(row) - 1)))
    elif kind == "extra":
        row.append(draw(nasty))
    elif kind == "table":
        chunk["table"] = draw(st.sampled_from(["registers", "sales; DROP TABLE sales", "", 7]))
    elif kind == "chunks":
        payload["chunks"] = draw(nasty)
    elif kind == "oversize":
        chunk["rows"] = [copy.deepcopy(row) for _ in range(60)]
    else:
        payload[draw(st.sampled_from(["event_id", "last_seq", "first_seq"]))] = draw(nasty)
    return payload


def _count(admin: AdminClient, table: str) -> int:
    return len(admin.export(EVENT, table))


@settings(max_examples=150,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(payload=mutated())
def test_fuzzed_pushes_get_clear_errors_and_write_nothing(target: Any,
                                                          payload: dict[str, Any]) -> None:
    admin, http = target
    before = _count(admin, "sales"), _count(admin, "sale_lines")
    body = json.dumps(payload, allow_nan=True).encode()
    response = http.post(f"/v1/registers/{REGISTER}/push", content=body,
                         headers={"content-type": "application/json"})

    assert response.status_code in (200, 400, 403, 413), response.text
    if response.status_code != 200:
        error = response.json()
        assert isinstance(error["error"], str) and error["message"]
        assert (_count(admin, "sales"), _count(admin, "sale_lines")) == before
