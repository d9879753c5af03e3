"""Forms in the built sites: online and paper pages, the CiCC's area, QR codes in letters."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort

from conftest import ROOT, build_site, set_endpoint
from test_qr import decode
from yourreview.forms import audience_for, load_forms
from yourreview.project import Paths, load_project

FORMS = load_forms(ROOT / "site_config" / "questions.yml")
PROJECT = load_project(Paths.under(ROOT))
SVG = re.compile(r'<svg [^>]*class="yr-qr".*?</svg>', re.S)
# A typed link is in pieces a printed line may end between (render.url_breaks).
TYPED = re.compile(
    r'<span class="yr-link">((?:<span class="yr-link-part">[^<]*</span>|<wbr>)+)</span>'
)


def typed_links(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", link) for link in TYPED.findall(html)]


def read(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


def test_every_approved_form_has_an_online_and_a_paper_page(public_site: Path) -> None:
    index = read(public_site, "have-your-say/index.html")
    for form in FORMS.approved:
        if form.purpose == "cicc-comment":
            continue
        online = read(public_site, f"f/{form.id}/index.html")
        paper = read(public_site, f"f/{form.id}/print/index.html")
        assert f'data-form-id="{form.id}"' in online
        for question in form.questions:
            assert question.label.replace("'", "&#39;") in online or question.label in online
        # The example council runs `yourreview receive`: every form is a real form that
        # posts there, and still says how else to answer.
        assert 'action="https://reviews.anytown.example/answers/"' in online
        assert "Other ways to answer" in online
        assert "yr-qr" in paper and "reviews.anytown.example/f/" in paper
        assert f"../f/{form.id}/" in index or f"f/{form.id}/" in index


def test_without_an_endpoint_no_button_goes_nowhere(example: Path, tmp_path: Path) -> None:
    set_endpoint(example, None)
    site = build_site(example, tmp_path / "site", "public")
    for form in FORMS.approved:
        if form.purpose == "cicc-comment" or form.external_url:
            continue
        online = read(site, f"f/{form.id}/index.html")
        # No forms service: each page says how else to answer, and no button goes nowhere.
        assert "<button" not in online.split('class="md-content"')[1]
        assert "How to answer" in online


def test_with_an_endpoint_the_form_posts_there(example: Path, tmp_path: Path) -> None:
    set_endpoint(example, "https://forms.anytown.example/submit")
    site = build_site(example, tmp_path / "site", "public")
    page = read(site, "f/after-review/index.html")
    assert (
        '<form class="yr-form-body" method="post" action="https://forms.anytown.example/submit"'
        in page
    )
    assert '<input type="hidden" name="form_id" value="after-review">' in page
    assert 'name="token"' not in page  # the public page never holds a token


def test_the_cicc_area_lists_every_form_with_its_status(public_site: Path) -> None:
    area = read(public_site, "cicc/index.html")
    comment = FORMS.cicc_form()
    for form in FORMS.forms:
        if form is comment:
            continue
        assert f"{form.id}/" in area
        page = read(public_site, f"cicc/{form.id}/index.html")
        # The CiCC reads the newest version: a new one waiting for them, else the one in use.
        assert f"Version</dt><dd>{form.newest.version}" in page
        assert f'data-form-id="{comment.id}"' in page  # the CiCC can comment on every form
        if form.draft:
            assert (
                f"Children get</dt><dd>Version {form.version}, until the Council approves "
                f"version {form.draft.version}</dd>"
            ) in page
            assert f'data-form-version="{form.draft.version}"' in page
            paper = read(public_site, f"cicc/{form.id}/print/index.html")
            assert "Children do not get this form yet." in paper
            assert f'data-form-version="{form.draft.version}"' in paper
            live = read(public_site, f"f/{form.id}/index.html")  # children still answer this
            assert f'name="form_version" value="{form.version}"' in live
        if not form.newest.approved:
            assert "Draft" in page and "Children do not get this form yet." in page
        if not form.approved:
            assert not (public_site / "f" / form.id).exists()  # not live, not linkable
    statuses = {f.status for f in FORMS.forms}
    assert {"approved", "with-cicc"} <= statuses


def test_letters_link_only_to_approved_forms_by_qr_code(
    internal_site: Path, tmp_path: Path
) -> None:
    for record in PROJECT.minutes.records:
        letter = read(internal_site, f"letters/{record.ref}/index.html")
        codes = SVG.findall(letter)
        typed = typed_links(letter)
        child_form = FORMS.for_letter(audience_for(record.style, record.age))
        token = PROJECT.token(record)
        child = f"reviews.anytown.example/f/{child_form.id}/?t={token}"
        carers = f"reviews.anytown.example/f/{FORMS.carer_form().id}/?t={token}"
        if record.took_part == "PN0":
            # A child under 4 has no form of their own yet: the grown-ups' code asks for them.
            assert typed == [carers] and len(codes) == 1, record.ref
            assert decode(codes[0], tmp_path) == "https://" + carers
            continue
        assert len(codes) == 2, record.ref  # the child's, the carers'
        if record.style == "easy-read":
            # Nothing for the child to type: the code, and "ask someone to help you".
            assert typed == [carers], record.ref
            assert "Or ask someone to help you." in letter
            assert decode(codes[0], tmp_path) == "https://" + child
            continue
        assert typed == [child, carers], record.ref
        assert record.ref not in typed[0] and record.name not in typed[0]
    # A real decoder reads each code back as the link typed beside it (one letter per style).
    for ref in ("AT-2026-0455", "AT-2026-0877", "AT-2026-0733"):
        letter = read(internal_site, f"letters/{ref}/index.html")
        for svg, link in zip(SVG.findall(letter), typed_links(letter), strict=True):
            assert decode(svg, tmp_path) == "https://" + link


def test_a_form_letters_need_cannot_be_a_draft(
    example: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    questions = example / "site_config" / "questions.yml"
    text = questions.read_text(encoding="utf-8")
    start = text.index("  - id: after-review\n")
    end = text.index("\n  - id:", start + 1)
    # A draft has no version in use (`in_use` keeps children on an approved one).
    block = re.sub(
        r"status: \S+\n(    in_use: \d+\n)?", "status: draft\n", text[start:end], count=1
    )
    questions.write_text(text[:start] + block + text[end:], encoding="utf-8")
    with pytest.raises(Abort):
        build_site(example, tmp_path / "site", "internal")
    assert "no approved after-review form for child-8-12" in caplog.text


def test_consultation_sheets_are_internal_with_the_right_form(
    public_site: Path, internal_site: Path
) -> None:
    assert not (public_site / "consultation").exists()
    for reviews in PROJECT.minutes.by_child().values():
        latest = reviews[-1]
        sheet = read(internal_site, f"consultation/{latest.ref}/index.html")
        form = FORMS.before_review_form(audience_for(latest.style, latest.age))
        assert f"Dear {latest.name}," in sheet
        assert "Your next review is by" in sheet
        assert f'data-form-id="{form.id}"' in sheet
        assert f"?t={PROJECT.token(latest)}" in sheet
        assert "yr-qr" in sheet
    assert "published demo key" in read(internal_site, "consultation/index.html")


def test_a_token_in_the_public_site_is_a_leak(
    example: Path, failed_build: Callable[[Path], str]
) -> None:
    token = PROJECT.token(PROJECT.minutes.records[0])
    (example / "docs" / "thanks.md").write_text(
        f"# Thanks\n\nYour code: {token}\n", encoding="utf-8"
    )
    assert "thanks/index.html: contains a review token" in failed_build(example)
