"""Opaque tokens that join a form response to its review, for the council's eyes only.

A letter's QR code must not carry the review reference (it is personal data and guessable:
`AT-2026-0412`). It carries `review_token(ref, key)` instead: a keyed hash (HMAC-SHA256) of the
reference. Whoever holds the key can recompute the token of every review and so join a response
to its review; anyone else sees 16 random-looking characters. The key comes from the environment
(`YOURREVIEW_TOKEN_KEY`), never from the repository, so a leaked repository leaks no way to join.

Why 16 base32 characters (80 bits) is enough: the token is not a password that protects
anything, only a label that must be unguessable and must not collide. With a secret key an
outsider's best attack is guessing: with a million live tokens one guess hits with probability
2^-60. Two of a million reviews sharing a token happens with probability about 2^-41. Longer
tokens would only make the QR code denser and the typed link longer for a child to copy.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from .errors import Problem, YourReviewError

ENV_VAR = "YOURREVIEW_TOKEN_KEY"
MIN_KEY_CHARS = 32
TOKEN_CHARS = 16  # 16 base32 characters carry 80 bits
GENERATE_HINT = 'python -c "import secrets; print(secrets.token_urlsafe(32))"'

# Published on purpose: the fictional example site must build without any setup, and anyone may
# compute its tokens. A build using it says so (TokenKey.is_demo) so it is never used for real.
DEMO_KEY = "yourreview-demo-key-NOT-SECRET-anytown-example-only"

# Versioned so that the same key could later serve another purpose without its hashes colliding.
_DOMAIN = b"yourreview/review-token/v1\x00"


@dataclass(frozen=True)
class TokenKey:
    key: bytes = field(repr=False)  # kept out of logs and tracebacks
    is_demo: bool = False


def review_token(review_ref: str, key: bytes) -> str:
    """The opaque token for a review: lowercase base32, no padding, 16 characters."""
    if not review_ref or not review_ref.strip():
        raise ValueError("a review token needs a review reference")
    if not key:
        raise ValueError("a review token needs a key")
    digest = hmac.new(key, _DOMAIN + review_ref.encode("utf-8"), hashlib.sha256).digest()
    return base64.b32encode(digest).decode("ascii").lower()[:TOKEN_CHARS]


def token_key(environ: Mapping[str, str] | None = None) -> TokenKey:
    """The key from YOURREVIEW_TOKEN_KEY, or the published demo key when it is not set."""
    env = os.environ if environ is None else environ
    raw = env.get(ENV_VAR)
    if raw is None:
        return TokenKey(DEMO_KEY.encode("utf-8"), is_demo=True)
    value = raw.strip()
    if len(value) < MIN_KEY_CHARS:
        # Never echo the value: it may be a real secret typed into the wrong place.
        what = "is set but empty" if not value else f"is only {len(value)} characters long"
        raise YourReviewError(
            [
                Problem(
                    file=ENV_VAR,
                    line=0,
                    column=0,
                    field="",
                    message=f"{what}; the key needs at least {MIN_KEY_CHARS} characters",
                    suggestion=f"make a new key with: {GENERATE_HINT} "
                    f"and keep it out of the repository",
                    kind="config",
                )
            ]
        )
    return TokenKey(value.encode("utf-8"), is_demo=value == DEMO_KEY)
