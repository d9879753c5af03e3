"""QR codes as small inline SVG, and the short links typed beside them.

The matrix comes from `qrcode` (already a dependency); we draw the SVG ourselves so that it is one
path (a letter may carry two codes: thousands of <rect>s would double its size), has no XML
declaration or external reference (it is pasted into HTML), and is big enough to scan from paper.

Speed: most of qrcode's time goes on trying all eight mask patterns and scoring each. We fix mask
2: on 150 typical form links (our URL shape, random tokens) it was the best-scoring mask 65% of
the time and on average 25 penalty points from the best (the worst fixed choice, mask 7, was 297
away). Any mask gives a valid symbol every reader decodes; the tests decode ours with zbar. This
makes a code about 6x faster (measured ~1 ms instead of ~6 ms for a 60-character URL), which
matters because every letter has its own token and so its own code. Most of what was left went
on qrcode's pure-Python Reed-Solomon arithmetic and bit buffer, so for the usual link (all in
byte mode) we work out the version and the codewords ourselves, with log tables, and hand them
to qrcode, which lays out the same symbol (tests/test_qr.py compares the codewords with qrcode's
own on links of every length we allow). Each drawn code is also kept in the project's cache by
its URL, so a rebuild draws only the codes of new links.
"""

from __future__ import annotations

import math
import re
from functools import cache

import qrcode
import qrcode.base
import qrcode.util
from markupsafe import escape
from qrcode.constants import ERROR_CORRECT_M

from .cache import NO_CACHE, Cache, code_version, digest

QUIET_ZONE = 4  # modules of white around the code, as the QR standard asks
MASK_PATTERN = 2  # see the module docstring
MODULE_MM = 0.75  # printed size of one module: comfortably above what phone cameras need
MIN_SIZE_MM = 30  # never smaller than 3 cm on paper (the issue asks for at least 2 cm)
MAX_URL_CHARS = 300  # longer links make codes too dense to scan from a letter

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_TOKEN = re.compile(r"^[a-z2-7]{1,64}$")
_URL = re.compile(r"^https?://[!-~]+$")  # printable ASCII, no spaces


def qr_svg(url: str, title: str, store: Cache = NO_CACHE) -> str:
    """An inline SVG QR code for `url`, announced to screen readers as `title`.

    Size is given in millimetres on the element itself so that it prints at a scannable size
    even where no stylesheet applies (a letter saved as HTML, an email); CSS may override it on
    screen through the `yr-qr` class. `store` keeps drawn codes between builds.
    """
    if not title.strip():
        raise ValueError("a QR code needs a title: it is the alt text")
    size, dark = _matrix_path(url, store)
    mm = max(MIN_SIZE_MM, math.ceil(size * MODULE_MM))
    label = escape(title.strip())
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="yr-qr" role="img" '
        f'aria-label="{label}" viewBox="0 0 {size} {size}" width="{mm}mm" height="{mm}mm" '
        f'shape-rendering="crispEdges"><title>{label}</title>'
        # A white background: on a dark page theme the quiet zone must still be light.
        f'<path fill="#fff" d="M0 0h{size}v{size}H0z"/>'
        f'<path fill="none" stroke="#000" stroke-width="1" d="{dark}"/></svg>'
    )


@cache  # once per distinct URL; a build holds a few thousand at most
def _matrix_path(url: str, store: Cache = NO_CACHE) -> tuple[int, str]:
    """The symbol's size in modules (with quiet zone) and one path drawing its dark modules."""
    check_url(url)
    size, _, dark = store.text("qr", digest(code_version(), url), lambda: _draw(url)).partition(
        "\n"
    )
    return int(size), dark


def _draw(url: str) -> str:
    """`<size>\n<path>`: what _matrix_path returns, as the text the cache keeps."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0, mask_pattern=MASK_PATTERN)
    code.add_data(url)
    if all(part.mode == qrcode.util.MODE_8BIT_BYTE for part in code.data_list):
        code.version, code.data_cache = codewords([part.data for part in code.data_list])
        code.make(fit=False)  # qrcode skips its own fitting and codewords when given both
    else:
        code.make(fit=True)  # digits or capitals in long runs: qrcode's own mixed modes
    rows: list[list[bool]] = [[bool(m) for m in row] for row in code.modules]
    return f"{len(rows) + 2 * QUIET_ZONE}\n{_runs_path(rows)}"


# GF(256) with the QR polynomial x^8 + x^4 + x^3 + x^2 + 1, as log and antilog tables.
_EXP = [0] * 512
_LOG = [0] * 256
_x = 1
for _i in range(255):
    _EXP[_i] = _x
    _LOG[_x] = _i
    _x <<= 1
    if _x & 0x100:
        _x ^= 0x11D
for _i in range(255, 512):
    _EXP[_i] = _EXP[_i - 255]
_PAD = (0xEC, 0x11)


@cache
def _generator_times(degree: int) -> tuple[tuple[int, ...], ...]:
    """For each byte f, f times the coefficients (after the leading 1) of the generator
    (x - a^0)(x - a^1)...(x - a^(degree-1))."""
    poly = [1]
    for i in range(degree):
        nxt = [*poly, 0]
        for j, c in enumerate(poly):
            if c:
                nxt[j + 1] ^= _EXP[_LOG[c] + i]
        poly = nxt
    logs = [_LOG[c] for c in poly[1:]]
    return ((0,) * degree, *(tuple(_EXP[_LOG[f] + lg] for lg in logs) for f in range(1, 256)))


def _error_codewords(data: list[int], degree: int) -> list[int]:
    """The remainder of data(x)·x^degree divided by the generator: the block's EC codewords."""
    times = _generator_times(degree)
    rem = [0] * degree
    for byte in data:
        shifted = [*rem[1:], 0]
        rem = [r ^ t for r, t in zip(shifted, times[byte ^ rem[0]], strict=True)]
    return rem


def codewords(parts: list[bytes]) -> tuple[int, list[int]]:
    """The smallest version (level M) that holds `parts`, each a byte-mode segment, and the
    symbol's codewords: data, terminator and padding, then error correction, interleaved."""
    for version in range(1, 41):
        count_bits = 8 if version < 10 else 16  # the length field of a byte-mode segment
        bits = sum(4 + count_bits + 8 * len(part) for part in parts)
        blocks = qrcode.base.rs_blocks(version, ERROR_CORRECT_M)
        limit = 8 * sum(block.data_count for block in blocks)
        if bits <= limit:
            break
    else:
        raise ValueError("too much data for a QR code")
    stream = "".join(
        f"0100{len(part):0{count_bits}b}" + "".join(f"{b:08b}" for b in part) for part in parts
    )
    stream += "0" * min(limit - len(stream), 4)
    stream += "0" * (-len(stream) % 8)
    data = [int(stream[i : i + 8], 2) for i in range(0, len(stream), 8)]
    data += [_PAD[i % 2] for i in range(limit // 8 - len(data))]
    data_blocks, ec_blocks, at = [], [], 0
    for block in blocks:
        chunk = data[at : at + block.data_count]
        at += block.data_count
        data_blocks.append(chunk)
        ec_blocks.append(_error_codewords(chunk, block.total_count - block.data_count))
    out = [b[i] for i in range(max(map(len, data_blocks))) for b in data_blocks if i < len(b)]
    out += [b[i] for i in range(max(map(len, ec_blocks))) for b in ec_blocks if i < len(b)]
    return version, out


def _runs_path(rows: list[list[bool]]) -> str:
    """Each horizontal run of dark modules as a 1-unit-wide stroke: short and exact."""
    parts: list[str] = []
    for y, row in enumerate(rows):
        pen: int | None = None  # where the last run ended on this row
        for run in _DARK_RUN.finditer("".join("1" if dark else "0" for dark in row)):
            start, end = run.span()
            if pen is None:
                parts.append(f"M{start + QUIET_ZONE} {y + QUIET_ZONE}.5h{end - start}")
            else:
                parts.append(f"m{start - pen} 0h{end - start}")
            pen = end
    return "".join(parts)


_DARK_RUN = re.compile("1+")


def check_url(url: str) -> None:
    """Refuse what should never become a QR code: other schemes, spaces, very long links."""
    if not _URL.match(url):
        raise ValueError(f"not a web link a QR code can hold: {url!r}")
    if len(url) > MAX_URL_CHARS:
        raise ValueError(f"link is {len(url)} characters; keep QR links under {MAX_URL_CHARS}")


def form_url(base_url: str, form_id: str, token: str | None = None) -> str:
    """The online form's address: `<base>f/<form id>/`, with `?t=<token>` from a letter.

    Short on purpose: a child may have to type it. `f/` keeps form pages apart from the rest of
    the site; the token is a query parameter so that one static page serves every child.
    """
    if not _SLUG.match(form_id):
        raise ValueError(f"form id must be a slug such as after-8-12, not {form_id!r}")
    base = base_url if base_url.endswith("/") else base_url + "/"
    url = f"{base}f/{form_id}/"
    if token is not None:
        if not _TOKEN.match(token):
            raise ValueError("a token is lowercase base32 (a-z, 2-7)")
        url += f"?t={token}"
    check_url(url)
    return url


def short_link(url: str) -> str:
    """The link as a person types it: no `https://`, which every browser adds back."""
    check_url(url)
    return url.split("://", 1)[1]
