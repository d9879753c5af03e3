from __future__ import annotations

import random
import re
import string
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import qrcode.util
from qrcode.constants import ERROR_CORRECT_M

from yourreview import qr
from yourreview.qr import form_url, qr_svg, short_link

SVG = "{http://www.w3.org/2000/svg}"
BASE = "https://reviews.anytown.example/"

URLS = [
    "https://a.example/",
    form_url(BASE, "after-8-12"),
    form_url(BASE, "after-review", "erbcwlvgjuq7jn7l"),
    form_url(
        "https://www.anytown-borough-council.example/children/iro/reviews",
        "carer",
        "abcdefghijklmnop",
    ),
    "https://forms.anytown.example/r/Fo7xYq2Lq0?ref=erbcwlvgjuq7jn7l&src=letter&lang=en-GB"
    + "&x="
    + "z" * 150,
]


def decode(svg: str, tmp_path: Path, pixels: int = 300) -> str:
    """Decode with real tools: librsvg renders the SVG, zbar reads the picture."""
    source = tmp_path / "code.svg"
    picture = tmp_path / "code.png"
    source.write_text(svg, encoding="utf-8")
    subprocess.run(
        [
            "rsvg-convert",
            "--width",
            str(pixels),
            "--background-color",
            "white",
            "--output",
            str(picture),
            str(source),
        ],
        check=True,
        capture_output=True,
    )
    found = subprocess.run(
        ["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(picture)],
        check=True,
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    return found.stdout.rstrip("\n")


@pytest.mark.parametrize("url", URLS)
def test_a_real_decoder_reads_the_url_back(url: str, tmp_path: Path) -> None:
    svg = qr_svg(url, "QR code: answer online")
    decoded = decode(svg, tmp_path)
    assert decoded == url
    assert decoded.split("://", 1)[1] == short_link(url)


def test_decodes_at_a_small_size_too(tmp_path: Path) -> None:
    url = form_url(BASE, "before-13-plus", "erbcwlvgjuq7jn7l")
    size = int(re.search(r'viewBox="0 0 (\d+)', qr_svg(url, "x"))[1])  # type: ignore[index]
    assert decode(qr_svg(url, "x"), tmp_path, pixels=size * 3) == url


def test_svg_is_inline_safe_and_accessible() -> None:
    svg = qr_svg(form_url(BASE, "after-review", "erbcwlvgjuq7jn7l"), "Scan to answer")
    assert svg.startswith("<svg ")
    assert "<?xml" not in svg and "<!DOCTYPE" not in svg
    assert "href" not in svg and "<script" not in svg.lower() and "style=" not in svg
    assert not re.search(r"\son\w+=", svg)
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    assert root.get("aria-label") == "Scan to answer"
    assert root.find(f"{SVG}title").text == "Scan to answer"  # type: ignore[union-attr]
    assert root.get("class") == "yr-qr"
    assert re.fullmatch(r"0 0 \d+ \d+", root.get("viewBox", ""))
    # One path for the background, one for every dark module: not thousands of elements.
    assert [child.tag for child in root] == [f"{SVG}title", f"{SVG}path", f"{SVG}path"]


@pytest.mark.parametrize("url", URLS)
def test_printed_size_is_at_least_two_centimetres(url: str) -> None:
    root = ET.fromstring(qr_svg(url, "x"))
    for side in ("width", "height"):
        value = root.get(side, "")
        assert value.endswith("mm")
        assert float(value[:-2]) >= 20
    modules = int(root.get("viewBox", "").split()[2])
    assert float(root.get("width", "")[:-2]) / modules >= 0.6  # each module scannable


def dark_modules(path: str) -> set[tuple[int, int]]:
    """(row, column) of every module the path strokes: the path read as an SVG renderer does."""
    x = y = 0.0
    dark: set[tuple[int, int]] = set()
    for command, args in re.findall(r"([MmHh])([-\d. ]+)", path):
        numbers = [float(value) for value in args.split()]
        if command == "M":
            x, y = numbers
        elif command == "m":
            x, y = x + numbers[0], y + numbers[1]
        else:
            assert command == "h" and y % 1 == 0.5, path  # a stroke along a row's middle
            dark |= {(int(y), int(x) + i) for i in range(int(numbers[0]))}
            x += numbers[0]
    return dark


def qrcode_modules(url: str) -> list[list[bool]]:
    """qrcode's own symbol for `url` with our mask and quiet zone."""
    code = qrcode.QRCode(
        error_correction=ERROR_CORRECT_M, border=qr.QUIET_ZONE, mask_pattern=qr.MASK_PATTERN
    )
    code.add_data(url)
    code.make(fit=True)
    return code.get_matrix()


def test_quiet_zone_of_four_modules() -> None:
    root = ET.fromstring(qr_svg("https://a.example/", "x"))
    size = int(root.get("viewBox", "").split()[2])
    dark = dark_modules(root.findall(f"{SVG}path")[1].get("d", ""))
    assert min(r for r, _ in dark) == min(c for _, c in dark) == 4
    assert max(r for r, _ in dark) == max(c for _, c in dark) == size - 4 - 1


def links_of_every_length() -> list[str]:
    """Our links' shape at every length we allow, and links qrcode splits into digits or
    capitals (its mixed modes), so both ways to the codewords are covered."""
    rng = random.Random(5)
    urls = []
    for length in range(19, qr.MAX_URL_CHARS + 1):
        tail = "".join(rng.choice(string.ascii_lowercase + "234567/?=-") for _ in range(length))
        urls.append(("https://reviews.anytown.example/" + tail)[:length])
        if length % 7 == 0:
            urls.append(("https://a.example/" + "1" * length)[:length])
            urls.append(("https://A.EXAMPLE/" + "Z9" * length)[:length])
    return urls


def test_our_symbol_is_qrcodes_module_for_module_at_every_length() -> None:
    # Our placement, masking and drawing against qrcode's whole matrix (same mask).
    for url in links_of_every_length():
        want = qrcode_modules(url)
        size, path = qr._draw(url).split("\n")
        assert int(size) == len(want), url
        assert dark_modules(path) == {
            (r, c) for r, row in enumerate(want) for c, dark in enumerate(row) if dark
        }, url


def test_a_real_decoder_reads_links_of_many_lengths(tmp_path: Path) -> None:
    urls = links_of_every_length()
    for url in urls[::23] + urls[-3:]:  # every version we make, roughly, and the longest
        assert decode(qr_svg(url, "x"), tmp_path, pixels=600) == url


def test_title_is_escaped() -> None:
    svg = qr_svg("https://a.example/", '<script>alert("x")</script> & more')
    assert "<script" not in svg
    assert "&lt;script&gt;" in svg
    root = ET.fromstring(svg)
    assert root.find(f"{SVG}title").text == '<script>alert("x")</script> & more'  # type: ignore[union-attr]


def test_each_distinct_url_is_encoded_once() -> None:
    qr._matrix_path.cache_clear()
    url = form_url(BASE, "carer", "abcdefghijklmnop")
    first = qr_svg(url, "one title")
    second = qr_svg(url, "another title")
    info = qr._matrix_path.cache_info()
    assert (info.misses, info.hits) == (1, 1)
    assert first.replace("one title", "T") == second.replace("another title", "T")


def test_form_url_shapes() -> None:
    assert form_url(BASE, "after-8-12") == "https://reviews.anytown.example/f/after-8-12/"
    assert (
        form_url("https://anytown.example/reviews", "carer", "ab2cd3ef4gh5ij6k")
        == "https://anytown.example/reviews/f/carer/?t=ab2cd3ef4gh5ij6k"
    )
    assert short_link(form_url(BASE, "carer", "ab2cd3ef4gh5ij6k")) == (
        "reviews.anytown.example/f/carer/?t=ab2cd3ef4gh5ij6k"
    )


@pytest.mark.parametrize(
    ("form_id", "token"),
    [("After Review", None), ("../x", None), ("carer", "AB12"), ("carer", "ab&x=1")],
)
def test_form_url_refuses_odd_ids_and_tokens(form_id: str, token: str | None) -> None:
    with pytest.raises(ValueError):
        form_url(BASE, form_id, token)


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "ftp://a.example/",
        "https://a.example/a b",
        "https://a.example/é",
        "https://a.example/" + "x" * 400,
    ],
)
def test_refuses_what_is_not_a_short_web_link(url: str) -> None:
    with pytest.raises(ValueError):
        qr_svg(url, "x")


def test_refuses_an_empty_title() -> None:
    with pytest.raises(ValueError):
        qr_svg("https://a.example/", "  ")


def test_our_codewords_are_qrcodes_for_links_of_every_length() -> None:
    # The fast path hands qrcode a version and codewords; they must be what qrcode works out.
    rng = random.Random(5)
    for length in range(20, qr.MAX_URL_CHARS + 1):
        tail = "".join(rng.choice(string.ascii_lowercase + "234567/?=-") for _ in range(length))
        url = ("https://reviews.anytown.example/" + tail)[:length]
        code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
        code.add_data(url)
        code.make(fit=True)
        version, words = qr.codewords([part.data for part in code.data_list])
        assert version == code.version, url
        assert words == qrcode.util.create_data(version, ERROR_CORRECT_M, code.data_list), url
