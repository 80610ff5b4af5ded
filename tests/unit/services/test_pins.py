"""PIN hashing: scrypt with a salt, constant-time comparison, 4 to 8 digits."""

from __future__ import annotations

import hmac

import pytest

from pos_app.services.cashiers import PinError, hash_pin, is_valid_pin, verify_pin


def test_hash_format_and_round_trip() -> None:
    stored = hash_pin("1234")
    scheme, n, r, p, salt_hex, digest_hex = stored.split("$")
    assert (scheme, n, r, p) == ("scrypt", str(2**14), "8", "1")
    assert len(bytes.fromhex(salt_hex)) == 16 and len(bytes.fromhex(digest_hex)) == 32
    assert verify_pin("1234", stored)
    assert not verify_pin("1235", stored)
    assert not verify_pin("12345", stored)


def test_same_pin_gets_a_different_salt() -> None:
    assert hash_pin("9999") != hash_pin("9999")
    assert hash_pin("9999", salt=b"s" * 16) == hash_pin("9999", salt=b"s" * 16)


@pytest.mark.parametrize(
    "pin", ["", "123", "123456789", "12a4", "\uff11\uff12\uff13\uff14", " 1234", "12 34"]
)
def test_only_4_to_8_ascii_digits(pin: str) -> None:
    assert not is_valid_pin(pin)
    with pytest.raises(PinError):
        hash_pin(pin)


@pytest.mark.parametrize("pin", ["0000", "12345678"])
def test_valid_lengths(pin: str) -> None:
    assert verify_pin(pin, hash_pin(pin))


@pytest.mark.parametrize("stored", ["", "plain", "md5$1$2$3$aa$bb", "scrypt$x$8$1$aa$bb",
                                    "scrypt$16384$8$1$zz$bb", "scrypt$3$8$1$aa$bb"])
def test_malformed_hashes_never_match(stored: str) -> None:
    assert not verify_pin("1234", stored)


def test_comparison_is_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[bytes, bytes]] = []
    real = hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    assert verify_pin("4321", hash_pin("4321"))
    assert len(calls) == 1 and all(isinstance(v, bytes) for v in calls[0])


def test_no_keyring_gives_a_clear_error_and_the_env_fallback(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import keyring
    from keyring.errors import NoKeyringError

    from pos_app.services.setup import KeyringTokenStore, NoKeyring

    def no_keyring(*_args: object) -> None:
        raise NoKeyringError("No recommended backend was available.")

    monkeypatch.setattr(keyring, "get_password", no_keyring)
    monkeypatch.setattr(keyring, "set_password", no_keyring)
    store = KeyringTokenStore()
    with pytest.raises(NoKeyring, match="POS_APP_TOKEN"):
        store.set("r1", "secret-token")
    monkeypatch.delenv("POS_APP_TOKEN", raising=False)
    assert store.get("r1") is None
    monkeypatch.setenv("POS_APP_TOKEN", "from-the-environment")
    assert store.get("r1") == "from-the-environment"
