from __future__ import annotations

import base64
import hashlib
import hmac
import re

import pytest

from yourreview.errors import YourReviewError
from yourreview.tokens import DEMO_KEY, ENV_VAR, TokenKey, review_token, token_key

KEY = b"k" * 32


def test_token_is_16_lowercase_base32_characters() -> None:
    token = review_token("AT-2026-0412", KEY)
    assert re.fullmatch(r"[a-z2-7]{16}", token)


def test_token_is_deterministic_and_differs_per_review() -> None:
    assert review_token("AT-2026-0412", KEY) == review_token("AT-2026-0412", KEY)
    tokens = {review_token(f"AT-2026-{n:04d}", KEY) for n in range(2000)}
    assert len(tokens) == 2000


def test_token_depends_on_the_key() -> None:
    assert review_token("AT-2026-0412", KEY) != review_token("AT-2026-0412", b"j" * 32)


def test_token_does_not_reveal_the_reference() -> None:
    ref = "AT-2026-0412"
    token = review_token(ref, KEY)
    for part in ("at", "2026", "0412", "412"):
        assert part not in token
    # An unkeyed hash of the reference (which anyone could compute from a guessed reference)
    # must not give the token.
    plain = base64.b32encode(hashlib.sha256(ref.encode()).digest()).decode().lower()
    assert not plain.startswith(token)


def test_token_is_a_keyed_hmac_sha256_and_stays_stable() -> None:
    # Tokens are printed on letters already sent: the algorithm must never change silently.
    digest = hmac.new(KEY, b"yourreview/review-token/v1\x00AT-2026-0412", hashlib.sha256).digest()
    expected = base64.b32encode(digest).decode().lower()[:16]
    assert review_token("AT-2026-0412", KEY) == expected
    assert review_token("AT-2026-0412", DEMO_KEY.encode()) == "erbcwlvgjuq7jn7l"


def test_token_refuses_empty_input() -> None:
    with pytest.raises(ValueError):
        review_token("  ", KEY)
    with pytest.raises(ValueError):
        review_token("AT-1", b"")


def test_absent_key_gives_the_published_demo_key() -> None:
    key = token_key({})
    assert key.is_demo
    assert key.key == DEMO_KEY.encode()


def test_key_from_the_environment() -> None:
    secret = "s3cr3t-" + "x" * 30
    key = token_key({ENV_VAR: secret})
    assert key == TokenKey(secret.encode(), is_demo=False)
    assert secret not in repr(key)


def test_demo_key_set_explicitly_is_still_the_demo() -> None:
    assert token_key({ENV_VAR: DEMO_KEY}).is_demo


@pytest.mark.parametrize("value", ["", "   ", "short-but-secret-value"])
def test_short_or_empty_key_is_an_error_that_says_how_to_make_one(value: str) -> None:
    with pytest.raises(YourReviewError) as caught:
        token_key({ENV_VAR: value})
    text = str(caught.value)
    assert ENV_VAR in text
    assert "at least 32 characters" in text
    assert "secrets.token_urlsafe(32)" in text
    if value.strip():
        assert value not in text  # never echo what may be a real secret


def test_reads_os_environ_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_VAR, "y" * 40)
    assert token_key() == TokenKey(b"y" * 40, is_demo=False)
    monkeypatch.delenv(ENV_VAR)
    assert token_key().is_demo
