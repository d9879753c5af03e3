"""QR codes as small inline SVG, and the short links typed beside them.

The matrix comes from `qrcode` (already a dependency); we draw the SVG ourselves so that it is one
path (a letter may carry two codes: thousands of <rect>s would double its size), has no XML
declaration or external reference (it is pasted into HTML), and is big enough to scan from paper.

Speed: every letter has its own token and so its own code, so a cold build draws thousands.
We fix mask 2: on 150 typical form links (our URL shape, random tokens) it was the best-scoring
mask 65% of the time and on average 25 penalty points from the best (the worst fixed choice,
mask 7, was 297 away). Any mask gives a valid symbol every reader decodes; the tests decode ours
with zbar. For the usual link (all in byte mode) we work out the version and the codewords
ourselves (Reed-Solomon with big-integer rows of a product table), and lay the modules out
ourselves: per version, once, qrcode sets up the function patterns and format information and
we note where each data bit goes and which bits the mask flips; a code is then one integer XOR
and one gather of characters into the whole matrix (tests/test_qr.py compares our matrix with
qrcode's own for links of every length we allow, and decodes them). Each drawn code is also
kept in the project's cache by its URL, so a rebuild draws only the codes of new links.
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Callable
from functools import cache, lru_cache

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


# A link asked for again soon (the same code under another title) is drawn once. Bounded: a
# council of 10,000 reviews has ~27,000 links, each drawn once a build, and the project's
# cache keeps them between builds.
@lru_cache(maxsize=256)
def _matrix_path(url: str, store: Cache = NO_CACHE) -> tuple[int, str]:
    """The symbol's size in modules (with quiet zone) and one path drawing its dark modules."""
    check_url(url)
    size, _, dark = store.text("qr", digest(code_version(), url), lambda: _draw(url)).partition(
        "\n"
    )
    return int(size), dark


def _draw(url: str) -> str:
    """`<size>\n<path>`: what _matrix_path returns, as the text the cache keeps."""
    parts = list(qrcode.util.optimal_data_chunks(url, minimum=20))  # what qrcode.add_data does
    if all(part.mode == qrcode.util.MODE_8BIT_BYTE for part in parts):
        version, words = codewords([part.data for part in parts])
    else:  # digits or capitals in long runs: qrcode's own mixed modes and codewords
        code = qrcode.QRCode(error_correction=ERROR_CORRECT_M)
        code.data_list = parts
        version = code.best_fit()
        words = qrcode.util.create_data(version, ERROR_CORRECT_M, parts)
    width = 4 * version + 17
    return f"{width + 2 * QUIET_ZONE}\n{_runs_path(matrix(version, words), width)}"


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
_PAD = b"\xec\x11"


@cache
def _generator_times(degree: int) -> tuple[int, ...]:
    """For each byte f, f times the coefficients (after the leading 1) of the generator
    (x - a^0)(x - a^1)...(x - a^(degree-1)), as one integer of `degree` bytes (big-endian), so
    that a step of the division below is a shift and an XOR of whole rows."""
    poly = [1]
    for i in range(degree):
        nxt = [*poly, 0]
        for j, c in enumerate(poly):
            if c:
                nxt[j + 1] ^= _EXP[_LOG[c] + i]
        poly = nxt
    logs = [_LOG[c] for c in poly[1:]]
    rows = [bytes(_EXP[_LOG[f] + lg] for lg in logs) for f in range(1, 256)]
    return (0, *(int.from_bytes(row, "big") for row in rows))


@cache
def _blocks(version: int) -> tuple[tuple[int, int], ...]:
    """(data codewords, error-correction codewords) of each block, at level M."""
    blocks = qrcode.base.rs_blocks(version, ERROR_CORRECT_M)
    return tuple((block.data_count, block.total_count - block.data_count) for block in blocks)


def _error_codewords(data: bytes, degree: int) -> bytes:
    """The remainder of data(x)·x^degree divided by the generator: the block's EC codewords."""
    times = _generator_times(degree)
    top = 8 * (degree - 1)
    keep = (1 << top) - 1  # the remainder's bytes after its leading one
    rem = 0
    for byte in data:
        rem = ((rem & keep) << 8) ^ times[byte ^ (rem >> top)]
    return rem.to_bytes(degree, "big")


def codewords(parts: list[bytes]) -> tuple[int, list[int]]:
    """The smallest version (level M) that holds `parts`, each a byte-mode segment, and the
    symbol's codewords: data, terminator and padding, then error correction, interleaved."""
    for version in range(1, 41):
        count_bits = 8 if version < 10 else 16  # the length field of a byte-mode segment
        bits = sum(4 + count_bits + 8 * len(part) for part in parts)
        limit = 8 * sum(data for data, _ in _blocks(version))
        if bits <= limit:
            break
    else:
        raise ValueError("too much data for a QR code")
    stream = 0
    for part in parts:  # mode 0100 (bytes), the length, the bytes
        stream = (stream << 4 | 4) << count_bits | len(part)
        stream = stream << 8 * len(part) | int.from_bytes(part, "big")
    stream <<= min(limit - bits, 4)  # the terminator
    bits += min(limit - bits, 4)
    stream <<= -bits % 8
    data = stream.to_bytes((bits + 7) // 8, "big")
    data += (_PAD * (limit // 16 + 1))[: limit // 8 - len(data)]
    data_blocks, ec_blocks, at = [], [], 0
    for count, degree in _blocks(version):
        data_blocks.append(data[at : at + count])
        ec_blocks.append(_error_codewords(data[at : at + count], degree))
        at += count
    return version, list(_interleave(data_blocks) + _interleave(ec_blocks))


def _interleave(blocks: list[bytes]) -> bytearray:
    """The first byte of every block, then every second byte, and so on; at level M the blocks
    differ by at most one byte, the longer ones last, so their last bytes close the stream."""
    count, short = len(blocks), min(map(len, blocks))
    out = bytearray(count * short)
    for i, block in enumerate(blocks):
        out[i::count] = block[:short]
    return out + bytes(block[short] for block in blocks if len(block) > short)


@cache
def _layout(version: int) -> tuple[int, int, Callable[[str], tuple[str, ...]]]:
    """Where a version's modules come from, worked out once: the number of data modules, the
    mask over them (bit k, from the top, flips the k-th data module), and a gather that picks
    each module of the matrix, row by row with an end mark closing each row, out of the
    data bits followed by "012" (the fixed light and dark of the function patterns, and the
    end of a row).

    qrcode sets up the function patterns and the format information for our mask; the data
    modules are visited in qrcode's own order (`map_data`: two columns at a time, up then down,
    from the right, skipping the timing column)."""
    code = qrcode.QRCode(version=version, error_correction=ERROR_CORRECT_M)
    width = code.modules_count = 4 * version + 17
    code.modules = [[None] * width for _ in range(width)]
    for row, col in ((0, 0), (width - 7, 0), (0, width - 7)):
        code.setup_position_probe_pattern(row, col)
    code.setup_position_adjust_pattern()
    code.setup_timing_pattern()
    code.setup_type_info(False, MASK_PATTERN)
    if version >= 7:
        code.setup_type_number(False)
    order: list[tuple[int, int]] = []
    upwards = True
    for right in range(width - 1, 0, -2):
        col = right - 1 if right <= 6 else right
        rows = range(width - 1, -1, -1) if upwards else range(width)
        order += [(r, c) for r in rows for c in (col, col - 1) if code.modules[r][c] is None]
        upwards = not upwards
    count = len(order)
    flips = qrcode.util.mask_func(MASK_PATTERN)
    mask = sum(1 << (count - 1 - k) for k, (r, c) in enumerate(order) if flips(r, c))
    source = [count] * (width + 1) * width  # light, by default
    source[width :: width + 1] = [count + 2] * width  # each row's end
    for r in range(width):
        for c in range(width):
            if code.modules[r][c]:
                source[r * (width + 1) + c] = count + 1
    for k, (r, c) in enumerate(order):
        source[r * (width + 1) + c] = k
    return count, mask, operator.itemgetter(*source)


def matrix(version: int, words: list[int]) -> str:
    """The symbol's modules, "1" dark and "0" light, row by row, each row closed by a "2"."""
    count, mask, gather = _layout(version)
    data = int.from_bytes(bytes(words), "big") << (count - 8 * len(words))  # remainder bits: 0
    return "".join(gather(f"{data ^ mask:0{count}b}012"))


def _runs_path(modules: str, width: int) -> str:
    """Each horizontal run of dark modules as a 1-unit-wide stroke, every move relative to
    where the last run ended: short and exact. `modules` holds the rows one after another, each
    closed by a "2"; a run with the light modules before it is looked up as a whole in a table
    of steps, so drawing a code is string work done in C."""
    steps = _steps(width)
    return f"M{QUIET_ZONE} {QUIET_ZONE}.5" + "".join(
        map(steps.__getitem__, _GAP_RUN.findall(modules))
    )


class _Steps(dict[str, str]):
    """Light modules then dark ones -> the path's step over them, each worked out once:
    "00111" -> "m2 0h3"; "0020111", from two before a row's end to the next row, -> "m<dx> 1h3"."""

    def __init__(self, width: int) -> None:
        super().__init__()
        self.width = width

    def __missing__(self, run: str) -> str:
        light = run.rstrip("1")
        dark = len(run) - len(light)
        rows = light.count("2")
        if rows:  # from the pen, `before` to the row's end, down, then `after` into the new row
            before, after = light.index("2"), len(light) - light.rindex("2") - 1
            self[run] = step = f"m{before + after - self.width} {rows}h{dark}"
        else:
            self[run] = step = f"m{len(light)} 0h{dark}"
        return step


_steps = cache(_Steps)
_GAP_RUN = re.compile("[02]*1+")


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
