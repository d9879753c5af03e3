"""Small-number suppression: no published count lies in 1..threshold, and no hidden count can be
worked out to within the threshold from everything else published. The audit's own exact
solver is checked against an independent one (SciPy's HiGHS)."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from yourreview.feedback.suppression import (
    Bounds,
    Range,
    Sum,
    audit,
    disclosed,
    grid_sums,
    primary,
    reader_bounds,
    suppress,
)

THRESHOLD = 5


def grid(counts: list[list[int]]) -> tuple[dict[str, int], list[Sum]]:
    """A table of counts with row, column and grand totals, as a section publishes it."""
    rows = [f"r{i}" for i in range(len(counts))]
    columns = [f"c{j}" for j in range(len(counts[0]))]
    values: dict[str, int] = {}
    for r, row in zip(rows, counts, strict=True):
        for c, v in zip(columns, row, strict=True):
            values[f"{r}|{c}"] = v
        values[f"{r}|total"] = sum(row)
    for j, c in enumerate(columns):
        values[f"total|{c}"] = sum(row[j] for row in counts)
    values["total|total"] = sum(map(sum, counts))
    return values, grid_sums(rows, columns)


def highs_range(
    values: dict[str, int],
    sums: list[Sum],
    hidden: set[str],
    cell: str,
    bounds: dict[str, tuple[int, int | None]] | None = None,
) -> Range:
    """The same question put to HiGHS: min and max of one hidden cell, given the rest and
    what the reader knows of each hidden cell (`bounds`, by default: what the pages say, that
    a hidden count is at least 1 and no count is negative)."""
    if bounds is None:
        bounds = {c: (min(1, values[c]), None) for c in hidden}
    cells = sorted(hidden)
    index = {c: i for i, c in enumerate(cells)}
    a_eq, b_eq = [], []
    for s in sums:
        row = [0.0] * len(cells)
        known = 0.0
        for c, sign in [(s.total, 1), *((p, -1) for p in s.parts)]:
            if c in index:
                row[index[c]] += sign
            else:
                known -= sign * values[c]
        if any(row):
            a_eq.append(row)
            b_eq.append(known)
    objective = [0.0] * len(cells)
    objective[index[cell]] = 1.0
    limits = [bounds.get(c, (0, None)) for c in cells]
    kwargs = {"A_eq": a_eq, "b_eq": b_eq} if a_eq else {}
    low = linprog(objective, bounds=limits, method="highs", **kwargs)
    high = linprog([-v for v in objective], bounds=limits, method="highs", **kwargs)
    assert low.status == 0
    top = None if high.status == 3 else Fraction(round(-high.fun, 6)).limit_denominator(1000)
    return Range(Fraction(round(low.fun, 6)).limit_denominator(1000), top)


small_counts = st.integers(min_value=0, max_value=40)
tables = st.integers(min_value=1, max_value=4).flatmap(
    lambda n_rows: st.integers(min_value=1, max_value=5).flatmap(
        lambda n_cols: st.lists(
            st.lists(
                st.one_of(small_counts, st.integers(0, THRESHOLD)),
                min_size=n_cols,
                max_size=n_cols,
            ),
            min_size=n_rows,
            max_size=n_rows,
        )
    )
)
slow = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@slow
@given(tables)
def test_no_published_cell_is_small_and_no_hidden_cell_can_be_worked_out(
    counts: list[list[int]],
) -> None:
    values, sums = grid(counts)
    hidden = suppress(values, sums, THRESHOLD)
    published = {c: v for c, v in values.items() if c not in hidden}
    assert not [c for c, v in published.items() if 1 <= v <= THRESHOLD]
    for cell in hidden:
        r = highs_range(values, sums, set(hidden), cell)
        assert r.width is None or r.width >= THRESHOLD, (cell, r, sorted(hidden))


@slow
@given(tables, st.data())
def test_the_exact_audit_agrees_with_highs(counts: list[list[int]], data: st.DataObject) -> None:
    values, sums = grid(counts)
    hidden = set(data.draw(st.sets(st.sampled_from(sorted(values)), min_size=1)))
    ours = audit(values, sums, hidden)
    for cell in hidden:
        assert ours[cell] == highs_range(values, sums, hidden, cell), cell


def test_a_small_cell_with_its_row_shown_is_found_out_and_protected() -> None:
    values, sums = grid([[3, 20], [30, 40]])
    # Hiding the 3 alone gives it away: its row total minus the 20.
    assert disclosed(values, sums, {"r0|c0"}, THRESHOLD) == ["r0|c0"]
    hidden = suppress(values, sums, THRESHOLD)
    assert "r0|c0" in hidden
    assert disclosed(values, sums, hidden, THRESHOLD) == []
    # A 2x2 table needs a rectangle: the 3 and three partners; the totals stay published.
    assert hidden == {"r0|c0", "r0|c1", "r1|c0", "r1|c1"}


def test_quarters_that_make_a_year_protect_each_other() -> None:
    # One row of four quarters and the year: a lone small quarter is given away by the year.
    values = {"q1": 12, "q2": 2, "q3": 15, "q4": 9, "year": 38}
    sums = [Sum("year", ("q1", "q2", "q3", "q4"))]
    hidden = suppress(values, sums, THRESHOLD)
    assert hidden == {"q2", "q4"}  # the smallest other quarter goes with it
    assert disclosed(values, sums, hidden, THRESHOLD) == []


def test_zero_is_published_and_nothing_is_hidden_without_cause() -> None:
    values, sums = grid([[0, 20], [30, 40]])
    assert primary(values, THRESHOLD) == set()
    assert suppress(values, sums, THRESHOLD) == frozenset()


def test_a_total_that_is_small_is_hidden_and_so_are_its_parts_enough() -> None:
    values = {"a": 1, "b": 2, "total": 3}
    hidden = suppress(values, [Sum("total", ("a", "b"))], THRESHOLD)
    assert hidden == {"a", "b", "total"}


def test_figures_that_do_not_add_up_are_refused() -> None:
    with pytest.raises(ValueError, match="not the sum"):
        suppress({"a": 1, "b": 2, "total": 4}, [Sum("total", ("a", "b"))], THRESHOLD)


@st.composite
def bounded(draw: st.DrawFn) -> tuple[dict[str, int], list[Sum], set[str], Bounds]:
    """A table, some hidden cells, and for each what a reader knows of it: a lowest value up
    to its own, and sometimes a highest at or above it (as "fewer than N" says)."""
    values, sums = grid(draw(tables))
    hidden = set(draw(st.sets(st.sampled_from(sorted(values)), min_size=1)))
    known: dict[str, tuple[int, int | None]] = {}
    for cell in sorted(hidden):
        low = draw(st.integers(0, values[cell]))
        high = draw(st.one_of(st.none(), st.integers(values[cell], values[cell] + 8)))
        known[cell] = (low, high)
    return values, sums, hidden, known


@slow
@given(bounded())
def test_the_exact_audit_with_inequalities_agrees_with_highs(
    case: tuple[dict[str, int], list[Sum], set[str], Bounds],
) -> None:
    values, sums, hidden, known = case
    ours = audit(values, sums, hidden, known)
    for cell in hidden:
        assert ours[cell] == highs_range(values, sums, hidden, cell, dict(known)), cell


@slow
@given(tables)
def test_a_zero_is_never_hidden_so_a_reader_may_count_on_it(counts: list[list[int]]) -> None:
    values, sums = grid(counts)
    hidden = suppress(values, sums, THRESHOLD)
    assert not [c for c in hidden if values[c] == 0]
    assert reader_bounds(values, hidden) == {c: (1, None) for c in hidden}


def test_a_hidden_count_is_at_least_one_and_the_audit_knows_it() -> None:
    values = {"a": 1, "b": 5, "total": 6}
    sums = [Sum("total", ("a", "b"))]
    # Counts only >= 0: a could be 0 to 6, which looks safe. But a hidden count is never 0
    # (the pages say so), so a and b are each 1 to 5: the total gives them away.
    assert audit(values, sums, {"a", "b"}, {"a": (0, None), "b": (0, None)})["a"] == Range(
        Fraction(0), Fraction(6)
    )
    assert audit(values, sums, {"a", "b"})["a"] == Range(Fraction(1), Fraction(5))
    assert disclosed(values, sums, {"a", "b"}, THRESHOLD) == ["a", "b"]
    hidden = suppress(values, sums, THRESHOLD)
    assert hidden == {"a", "b", "total"}
    assert disclosed(values, sums, hidden, THRESHOLD) == []


def test_fewer_than_n_says_one_to_n_minus_one_and_no_more_may_be_learnt() -> None:
    values = {"a": 2, "b": 5, "c": 30, "total": 37}
    sums = [Sum("total", ("a", "b", "c"))]
    said = reader_bounds(values, {"a", "b", "c"}, fewer_than=THRESHOLD + 1)
    assert said == {"a": (1, 5), "b": (1, 5), "c": (1, None)}
    # With c hidden too, a and b are each anywhere in 1..5: no more than "fewer than 6" says.
    assert disclosed(values, sums, {"a", "b", "c"}, THRESHOLD, said) == []
    # With c published, a + b = 7, so a is 2 to 5: more than the label says.
    shown_c = reader_bounds(values, {"a", "b"}, fewer_than=THRESHOLD + 1)
    assert audit(values, sums, {"a", "b"}, shown_c)["a"] == Range(Fraction(2), Fraction(5))
    assert disclosed(values, sums, {"a", "b"}, THRESHOLD, shown_c) == ["a", "b"]


@st.composite
def weighted(draw: st.DrawFn) -> tuple[dict[str, int], list[Sum], set[str]]:
    """Sums whose parts repeat (a total of 2a + 3b): the simplex then pivots on 2s and 3s and
    its numbers stop being whole, the case the solver's integer fast path hands to Fraction."""
    cells = [f"x{i}" for i in range(draw(st.integers(2, 5)))]
    values = {c: draw(small_counts) for c in cells}
    sums = []
    for k in range(draw(st.integers(1, 3))):
        parts = draw(st.lists(st.sampled_from(cells), min_size=1, max_size=6))
        values[f"t{k}"] = sum(values[p] for p in parts)
        sums.append(Sum(f"t{k}", tuple(parts)))
    hidden = set(draw(st.sets(st.sampled_from(sorted(values)), min_size=1)))
    return values, sums, hidden


@slow
@given(weighted())
def test_the_exact_audit_agrees_with_highs_when_its_numbers_are_fractions(
    case: tuple[dict[str, int], list[Sum], set[str]],
) -> None:
    values, sums, hidden = case
    ours = audit(values, sums, hidden)
    for cell in hidden:
        assert ours[cell] == highs_range(values, sums, hidden, cell), cell


def test_a_range_that_ends_between_whole_numbers_is_exact() -> None:
    # 2a + 3b = 12 with both hidden (each at least 1): a is at most 4.5 and b at most 10/3.
    values = {"a": 3, "b": 2, "c": 2, "t": 12, "u": 5}
    sums = [Sum("t", ("a", "a", "b", "b", "b")), Sum("u", ("a", "c"))]
    found = audit(values, sums, {"a", "b", "c", "u"})
    assert found["a"] == Range(Fraction(1), Fraction(9, 2))
    assert found["b"] == Range(Fraction(1), Fraction(10, 3))
    assert found["u"] == Range(Fraction(2), None)
