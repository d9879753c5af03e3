"""Letters that answer the child (#11 §2–§4): replies to wishes, worries with who is helping,
blaming shapes, steps due before the letter is sent, next review wording, dates a young child
can hold. Each check is tested with its located finding, so removing it fails here."""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import date
from pathlib import Path

import pytest

from conftest import ROOT, run_cli
from yourreview.checks import check_project, letter_text
from yourreview.clock import child_time
from yourreview.deadlines import step_findings
from yourreview.errors import Severity, YourReviewError
from yourreview.language import find_blame
from yourreview.project import Paths, load_project
from yourreview.records import Minutes, Record, Wish, Worry, read_record
from yourreview.render import LetterExtras, render_letter, sentence

PROJECT = load_project(Paths.under(ROOT))
STYLES = ("early-years", "child", "young-person", "easy-read")

RECORD = """\
review:
  ref: AT-2026-0001
  date: 2026-10-14
  number: 2
  minutes_sent: 2026-11-04
child:
  id: AT-C-0001
  name: Robin
  date_of_birth: 2014-05-02
  in_care_since: 2026-03-02
iro:
  name: Sol Brightwater
took_part:
  code: PN1
told_me:
  - You want a bike.
  - wish: You want to see your nan.
    reply: Jo will take you on Saturdays.
  - {wish: You want to swim, step: 1}
  - {wish: You want a dog, step: 4}
worries:
  - You have not been going to school.
  - who: Jo
    worry: You feel tired in the mornings.
    helping: Jo
    will: help you get to bed earlier
next_steps:
  - {who: Jo, will: find a swimming club, by: 2026-10-30}
  - {who: Dev, will: ask about a bike, by: 2026-11-30}
"""


def line_of(needle: str, text: str = RECORD) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def told_me(html: str) -> str:
    """The words of the letter's "what you told me" part."""
    return letter_text(html.split('id="told-me"')[1].split("</section>")[0])


def write(tmp_path: Path, text: str = RECORD) -> Path:
    path = tmp_path / "r.yml"
    path.write_text(text, encoding="utf-8")
    return path


def sam() -> Record:
    return next(r for r in PROJECT.minutes.records if r.ref == "AT-2026-0877")


def letter(record: Record, sent_on: date | None = None, minutes: Minutes | None = None) -> str:
    extras = LetterExtras(next_review=PROJECT.next_review(record), sent_on=sent_on)
    return render_letter(PROJECT.env, record, minutes or PROJECT.minutes, PROJECT.council, extras)


# -- §2: a wish with no reply ------------------------------------------------------------------


def test_a_wish_with_no_reply_is_a_located_warning_and_a_reply_or_step_answers_it(
    tmp_path: Path,
) -> None:
    with pytest.raises(YourReviewError) as caught:  # step 4 of 2 is an error
        read_record(write(tmp_path), "minutes/r.yml")
    problems = {(p.field, p.line, p.column, p.kind, p.severity) for p in caught.value.problems}
    assert ("told_me[0]", line_of("You want a bike"), 5, "reply", Severity.WARNING) in problems
    assert ("told_me[3].step", line_of("a dog"), 34, "record", Severity.ERROR) in problems
    step = next(p for p in caught.value.problems if p.field == "told_me[3].step")
    assert "there is no next step 4" in step.message and "2 steps" in step.message
    reply = next(p for p in caught.value.problems if p.field == "told_me[0]")
    assert "does not answer" in reply.message and "reply:" in reply.suggestion
    # The wishes with a reply or a step are not warned about.
    assert not [p for p in caught.value.problems if p.field in ("told_me[1]", "told_me[2]")]


def test_a_record_with_every_wish_answered_reads_them_all(tmp_path: Path) -> None:
    text = RECORD.replace("step: 4", "step: 2").replace("  - You want a bike.\n", "")
    record, warnings = read_record(write(tmp_path, text), "minutes/r.yml")
    assert record.told_me == (
        Wish("You want to see your nan.", "Jo will take you on Saturdays."),
        Wish("You want to swim", None, 1),
        Wish("You want a dog", None, 2),
    )
    assert [p.kind for p in warnings if p.field.startswith("told_me")] == []


@pytest.mark.parametrize("style", STYLES)
def test_every_style_answers_each_wish_under_it(style: str) -> None:
    r = dataclasses.replace(sam(), requested_style=style)
    text = told_me(letter(r, date(2026, 11, 20)))
    assert "You love going swimming on Tuesdays.\n" in text
    # Under its label: on the same line, or (easy read, one idea a line) on the next.
    assert re.search(r"(answer|reply):\s+Jo will keep taking you", text), text
    # The reply linked to a step says the step itself.
    assert "Jo will agree a weekend bedtime with you" in text


def test_the_childs_own_words_are_quoted_as_said_and_escaped() -> None:
    r = dataclasses.replace(sam(), in_their_words='I said "<b>no</b>" & meant it')
    html = letter(r)
    assert "“I said &#34;&lt;b&gt;no&lt;/b&gt;&#34; &amp; meant it”" in html
    assert '<blockquote class="yr-quote">' in html
    assert "yr-quote" not in letter(dataclasses.replace(r, in_their_words=None))


# -- §3: worries said kindly -------------------------------------------------------------------


def test_a_worry_with_no_one_helping_is_a_located_warning(tmp_path: Path) -> None:
    text = RECORD.replace("step: 4", "step: 2")
    _, warnings = read_record(write(tmp_path, text), "minutes/r.yml")
    worry = [p for p in warnings if p.kind == "worry"]
    assert [(p.field, p.line, p.column) for p in worry] == [
        ("worries[0]", line_of("You have not been"), 5)
    ]
    assert "who is helping" in worry[0].message and "helping:" in worry[0].suggestion


@pytest.mark.parametrize("style", STYLES)
def test_every_style_puts_who_is_worried_with_who_is_helping(style: str) -> None:
    worry = Worry("You have been staying up late.", "Jo and Dev", "Jo", "agree a bedtime with you")
    r = dataclasses.replace(sam(), requested_style=style, worries=(worry, Worry("You cry.")))
    text = letter_text(letter(r))
    assert "Jo and Dev are " in text and " worried that you have been staying up late." in text
    assert "Jo will agree a bedtime with you." in text
    assert "You cry." in text
    helping = dataclasses.replace(r, worries=(Worry("you are sad", "Jo", "Dev"),))
    assert "Dev is helping with this." in letter_text(letter(helping))


@pytest.mark.parametrize(
    ("text", "shape"),
    [
        ("You have not wanted to talk to Priti lately.", "You have not"),
        ("You haven’t seen your dad yet.", "You haven’t"),
        ("People say you keep going out late.", "you keep"),
        ("You refused to go to school.", "You refused"),
        ("You won't talk to Dev.", "You won't"),
    ],
)
def test_blaming_shapes_are_found_with_a_kinder_way_to_say_it(text: str, shape: str) -> None:
    [finding] = find_blame(text)
    assert finding.word == shape and text[finding.start : finding.end] == shape
    assert "blaming" in finding.message
    assert "helping:" in finding.suggestion and "e.g." in finding.suggestion


def test_plain_worries_and_good_news_are_not_blame() -> None:
    assert find_blame("You have missed some school. Your keeper is kind.") == []


def test_blame_is_found_in_worries_only_where_it_was_written(example: Path) -> None:
    record = example / "minutes" / "2026" / "sam-3.yml"
    text = record.read_text(encoding="utf-8")
    text = text.replace(
        "worry: You have been staying up very late", "worry: You keep staying up very late"
    ).replace("Your maths is getting better", "You have not missed a day, and your maths")
    record.write_text(text, encoding="utf-8")
    findings = json.loads(run_cli(example, "check", "--json", str(record)).stdout)
    blame = [f for f in findings if f["kind"] == "blame"]
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "You keep staying" in t)
    assert [(f["line"], f["column"], f["field"]) for f in blame] == [
        (line, 12, "worries[0].worry")
    ]  # and not "You have not missed a day" in going_well


# -- §4: dates still true when the letter arrives ---------------------------------------------


def test_a_step_due_before_the_letter_is_sent_is_a_located_warning(tmp_path: Path) -> None:
    text = RECORD.replace("step: 4", "step: 2")
    record, _ = read_record(write(tmp_path, text), "minutes/r.yml")
    minutes = Minutes((record,))
    [found] = step_findings(minutes, date(2030, 1, 1))  # sent: today does not matter
    assert (found.field, found.line, found.column, found.kind) == (
        "next_steps[0].by",
        line_of("swimming club"),
        47,
        "date",
    )
    assert "Friday 30 October 2026 has passed" in found.message and "was sent" in found.message
    unsent = dataclasses.replace(record, minutes_sent=None)
    assert step_findings(Minutes((unsent,)), date(2026, 10, 29)) == []
    late = step_findings(Minutes((unsent,)), date(2026, 12, 1))
    assert [p.field for p in late] == ["next_steps[0].by", "next_steps[1].by"]
    assert "not sent yet" in late[0].message


def test_check_names_a_step_due_before_sending_and_as_of_sets_today(example: Path) -> None:
    ollie = "minutes/2026/ollie-2.yml"  # unsent; Tess's step was due on 30 September
    early = json.loads(run_cli(example, "check", "--json", "--as-of", "2026-09-29").stdout)
    late = json.loads(run_cli(example, "check", "--json", "--as-of", "2026-11-23").stdout)
    assert not [f for f in early if f["kind"] == "date"]
    [step] = [f for f in late if f["kind"] == "date"]
    assert (step["file"], step["field"], step["line"]) == (ollie, "next_steps[0].by", 29)
    # One file equals the whole check for that file.
    one = json.loads(
        run_cli(example, "check", "--json", "--as-of", "2026-11-23", str(example / ollie)).stdout
    )
    assert one == [f for f in late if f["file"] == ollie]


@pytest.mark.parametrize("style", STYLES)
def test_every_style_says_kindly_that_a_past_step_should_have_happened(style: str) -> None:
    r = dataclasses.replace(sam(), requested_style=style)
    on_time = letter_text(letter(r, date(2026, 11, 20)))
    assert "Jo will agree a weekend bedtime with you" in on_time
    assert "should have happened" not in on_time
    text = letter_text(letter(r, date(2026, 12, 1)))  # the end of November has passed
    assert "Jo was going to agree a weekend bedtime with you" in text
    assert "This should have happened" in text and "if it has not" in text.lower()
    assert "Dev will ask Lenny's carers" in text  # 18 December is still ahead


@pytest.mark.parametrize("style", STYLES)
def test_next_review_a_planned_date_is_that_day_otherwise_before_it(style: str) -> None:
    r = dataclasses.replace(sam(), requested_style=style)
    planned = letter_text(letter(dataclasses.replace(r, next_review=date(2027, 4, 12))))
    assert "will be on Monday 12 April 2027" in planned and "tell you the day" not in planned
    clock = letter_text(letter(dataclasses.replace(r, next_review=None)))
    assert "will be by" not in clock
    assert "before Wednesday 5 May 2027" in clock and "I will tell you the day" in clock


def test_early_years_put_a_time_a_child_can_hold_beside_the_real_date() -> None:
    r = dataclasses.replace(sam(), requested_style="early-years")
    text = letter_text(letter(r, date(2026, 11, 20)))
    assert "before Christmas (by Friday 18 December)." in text
    assert "before the summer holidays (before Wednesday 5 May 2027)" in text
    child = letter_text(letter(dataclasses.replace(r, requested_style="child")))
    assert "Christmas" not in child


@pytest.mark.parametrize(
    ("day", "words"),
    [
        (date(2027, 1, 20), "soon after Christmas"),
        (date(2027, 3, 20), "before the Easter holidays"),  # Good Friday 2027 is 26 March
        (date(2027, 3, 27), "before the summer holidays"),
        (date(2026, 7, 31), "in the summer holidays"),
        (date(2026, 10, 23), "before Halloween"),
        (date(2026, 11, 2), "before Christmas"),
        (date(2026, 12, 18), "before Christmas"),
        (date(2026, 12, 22), "in the Christmas holidays"),
    ],
)
def test_child_time(day: date, words: str) -> None:
    assert child_time(day) == words


@pytest.mark.parametrize("style", STYLES)
def test_joined_text_is_punctuated(style: str) -> None:
    r = dataclasses.replace(sam(), requested_style=style)
    text = letter_text(letter(r))
    # Easy read puts what happened on its own line; it is a full sentence either way.
    assert re.search(r"every two weeks\.\s", text) and "every two weeks This" not in text
    assert sentence("Done!") == "Done!" and sentence('He said "yes."') == 'He said "yes."'
    assert sentence("You go on Tuesdays now") == "You go on Tuesdays now."


# -- the example council ----------------------------------------------------------------------


def test_every_example_letter_answers_its_child_names_helpers_and_dates_are_true() -> None:
    project = dataclasses.replace(PROJECT, today=date(2026, 11, 23))
    problems, _ = check_project(project)
    kinds = {(p.file, p.kind) for p in problems if p.kind in ("reply", "worry", "blame", "date")}
    # Ollie's letter is late and unsent: the one step it names has passed, and it says so.
    assert kinds == {("minutes/2026/ollie-2.yml", "date")}
    written = [r for r in project.minutes.records if r.told_me or r.worries]
    assert len(written) >= 10
    for r in written:
        assert all(w.reply or w.step for w in r.told_me), r.source
        assert all(w.helping for w in r.worries), r.source
    ollie = next(r for r in project.minutes.records if r.source.endswith("ollie-2.yml"))
    said = letter_text(letter(ollie, project.sent_on(ollie)))
    assert "Tess was going to talk to your school about lunch times by" in said


def test_a_step_answer_that_points_past_the_steps_is_never_rendered() -> None:
    r = dataclasses.replace(sam(), told_me=(Wish("You want a dog.", None, 9),), next_steps=())
    html = letter(r)
    assert "<li>You want a dog.</li>" in html and "My answer:" not in html
