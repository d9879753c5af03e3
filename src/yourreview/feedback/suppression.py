"""Small numbers: hide every count that could single a child out, and every count that gives a
hidden one away.

A published figure is a cell in a set of counts tied together by sums (a year is its quarters,
a row total is its row). Hiding the cells from 1 to the threshold is not enough: a hidden cell
whose row total is shown, with the rest of the row, can be worked out by subtraction. So a
cell counts as protected only when everything published still leaves it a range of possible
values at least `threshold` wide, which is a linear programme: the smallest and the largest
value the cell can take, given every published cell, every sum and what the pages say about
hidden cells (`reader_bounds`): no count is negative, a 0 is never hidden (so a hidden count is
at least 1), and a count published as "fewer than N" lies in 1..N-1.

`audit` solves those programmes exactly (rational arithmetic, so no rounding can call a
disclosed cell safe); `suppress` hides the primary cells and then, greedily, the fewest extra
cells it can until `audit` passes. Every hidden cell must be shown the same way (one symbol),
whether it was small or hidden to protect a small one: a label such as "fewer than 5" on the
small ones only would tell a reader which cells lie in 1..threshold.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction

from ..cache import Cache, code_version, digest


@dataclass(frozen=True)
class Sum:
    """`total` is published as the sum of `parts`: a reader may use it to work a cell out."""

    total: str
    parts: tuple[str, ...]


@dataclass(frozen=True)
class Range:
    """What a reader can work out about a hidden cell; `high` is None when unbounded."""

    low: Fraction
    high: Fraction | None

    @property
    def width(self) -> Fraction | None:
        return None if self.high is None else self.high - self.low


def grid_sums(rows: Iterable[str], columns: Iterable[str], total: str = "total") -> list[Sum]:
    """The sums of a table with a total row and a total column; cell ids are `row|column`."""
    rows, columns = list(rows), list(columns)
    sums = [Sum(f"{r}|{total}", tuple(f"{r}|{c}" for c in columns)) for r in rows]
    sums += [Sum(f"{total}|{c}", tuple(f"{r}|{c}" for r in rows)) for c in columns]
    sums.append(Sum(f"{total}|{total}", tuple(f"{r}|{total}" for r in rows)))
    sums.append(Sum(f"{total}|{total}", tuple(f"{total}|{c}" for c in columns)))
    return sums


def primary(values: Mapping[str, int], threshold: int) -> set[str]:
    """Cells a child could be recognised from: counts from 1 to the threshold (0 is shown)."""
    return {cell for cell, value in values.items() if 1 <= value <= threshold}


Bounds = Mapping[str, tuple[int, int | None]]  # cell -> (lowest, highest or None) a reader knows


def reader_bounds(
    values: Mapping[str, int], hidden: Iterable[str], fewer_than: int | None = None
) -> dict[str, tuple[int, int | None]]:
    """What the published pages tell a reader about each hidden cell, besides the sums: it is
    not 0 ("About these figures" says a 0 is never hidden, and `suppress` never hides one), and,
    when small counts are published as "fewer than N" (`fewer_than`=N) rather than only the one
    symbol, that a small one lies in 1..N-1. A hidden 0 (only ever passed in from outside) is
    given the bounds it truly has, so the reader's equations stay true."""
    found: dict[str, tuple[int, int | None]] = {}
    for cell in hidden:
        value = values[cell]
        if fewer_than is not None and 1 <= value < fewer_than:
            found[cell] = (1, fewer_than - 1)
        else:
            found[cell] = (min(1, value), None)
    return found


def audit(
    values: Mapping[str, int],
    sums: Iterable[Sum],
    hidden: Iterable[str],
    bounds: Bounds | None = None,
) -> dict[str, Range]:
    """For every hidden cell, the range a reader can work out from everything else. `bounds`:
    what the reader knows of each hidden cell besides the sums (default `reader_bounds`)."""
    hidden_cells = sorted(set(hidden))
    if bounds is None:
        bounds = reader_bounds(values, hidden_cells)
    system = _System(values, list(sums), set(hidden_cells), bounds)
    return {cell: system.range_of(cell) for cell in hidden_cells}


def disclosed(
    values: Mapping[str, int],
    sums: Iterable[Sum],
    hidden: Iterable[str],
    threshold: int,
    bounds: Bounds | None = None,
) -> list[str]:
    """Hidden cells that a reader could narrow to a range narrower than the threshold; a cell
    published as "fewer than N" (a highest value in `bounds`) is safe only if the reader learns
    nothing more than that."""
    hidden = set(hidden)
    known = reader_bounds(values, hidden) if bounds is None else bounds
    ranges = audit(values, sums, hidden, known)
    found = []
    for cell, r in ranges.items():
        low, high = known.get(cell, (0, None))
        if high is not None:
            if r.low != low or r.high != high:
                found.append(cell)
        elif r.width is not None and r.width < threshold:
            found.append(cell)
    return found


def remembered(store: Cache, inputs: object, solve: Callable[[], frozenset[str]]) -> frozenset[str]:
    """`solve()`, or what it gave for the same `inputs` (the repr of everything it reads) in an
    earlier build: the same counts always hide the same cells, and solving is most of a public
    build. The entry holds cell names only (counts stay in the key's hash)."""
    text = store.text(
        "hidden", digest(code_version(), repr(inputs)), lambda: "\n".join(sorted(solve()))
    )
    return frozenset(text.split("\n")) if text else frozenset()


def suppress(
    values: Mapping[str, int], sums: Iterable[Sum], threshold: int, also: Iterable[str] = ()
) -> frozenset[str]:
    """The cells to hide: the small ones (and `also`: cells already hidden in a linked
    table), and extra ones until no hidden cell can be worked out to within `threshold`.
    Greedy: each step hides the published cell that widens the first weak cell's range most
    (up to the threshold), or two cells when no one cell is enough; among equals, a cell inside
    the table before a total (the totals are what readers look for) and the smallest count
    first, so that as little as possible is lost. Then every extra cell that the others
    protect anyway is published again. The true minimum is NP-hard to find; tables here are
    small."""
    sums = list(sums)
    _check(values, sums)
    totals = {s.total for s in sums}
    fixed = primary(values, threshold) | set(also)
    hidden = set(fixed)
    # Hiding one more cell turns a published value into an unknown, which can only widen every
    # range: a cell found safe once stays safe, so only the others are audited again.
    safe: set[str] = set()
    while True:
        system = _System(values, sums, hidden, reader_bounds(values, hidden))
        target = None
        for cell in sorted(hidden - safe):
            if _safe_width(system.range_of(cell), threshold) >= threshold:
                safe.add(cell)
            else:
                target = cell
                break
        if target is None:
            return _smaller(values, sums, hidden, fixed, threshold, totals)
        # A 0 is never hidden: the pages say so, and a reader may count on it.
        candidates = {c for c in _neighbours(hidden, sums) - hidden if values[c]}
        if not candidates:  # every cell tied to the weak one is hidden: nothing else can help
            candidates = {c for c in set(values) - hidden if values[c]}
        if not candidates:  # only zeros are published: they cannot give a cell away
            return _smaller(values, sums, hidden, fixed, threshold, totals)
        hidden |= _best_step(values, sums, hidden, candidates, target, threshold, totals)


def _best_step(
    values: Mapping[str, int],
    sums: list[Sum],
    hidden: set[str],
    candidates: set[str],
    target: str,
    threshold: int,
    totals: set[str],
) -> set[str]:
    """The one cell that widens `target`'s range most; or, when no one cell makes it safe, the
    two that do together (the other corners of a rectangle in a table), if any."""

    def width(extra: set[str]) -> Fraction:
        more = hidden | extra
        system = _System(values, sums, more, reader_bounds(values, more))
        return _safe_width(system.range_of(target), threshold)

    def cost(extra: set[str]) -> tuple[int, int]:
        return (sum(c in totals for c in extra), sum(values[c] for c in extra))

    best = max(sorted(candidates), key=lambda c: (width({c}), c not in totals, -values[c]))
    if width({best}) >= threshold:
        return {best}
    pairs = sorted(
        {
            frozenset((a, b))
            for a in candidates
            for b in _neighbours({a}, sums) - hidden - {a}
            if values[b]  # never a 0
        },
        key=sorted,
    )
    safe = [set(p) for p in pairs if width(set(p)) >= threshold]
    return min(safe, key=cost) if safe else {best}


def _smaller(
    values: Mapping[str, int],
    sums: list[Sum],
    greedy: set[str],
    fixed: set[str],
    threshold: int,
    totals: set[str],
) -> frozenset[str]:
    """The greedy answer, or a smaller safe one. Greedy steps are short-sighted: when no single
    cell helps much, they hide many cells that each help a little (often zeros), where two
    cells together (the corners of a rectangle) would do. So both the greedy answer and the
    plainer one, every cell that shares a sum with a small one, are pruned, and the smaller
    kept."""
    found: list[set[str]] = [_prune(values, sums, greedy, fixed, threshold, totals)]
    wide = {c for c in _neighbours(fixed, sums) if values[c]} | fixed
    if not disclosed(values, sums, wide, threshold):
        found.append(_prune(values, sums, wide, fixed, threshold, totals))

    def lost(h: set[str]) -> tuple[int, int, list[str]]:
        return (len(h), sum(values[c] for c in h), sorted(h))

    return frozenset(sorted(found, key=lost)[0])


def _prune(
    values: Mapping[str, int],
    sums: list[Sum],
    hidden: set[str],
    fixed: set[str],
    threshold: int,
    totals: set[str],
) -> set[str]:
    """Publish again every extra cell the others protect without it: zeros first (they protect
    little), then totals and large counts (what readers most want to see). A cell stays
    published only if the exact audit still passes, so pruning never makes a result less
    safe. `fixed` cells (small, or hidden in a linked table) stay hidden."""
    # Cells hidden together in one sum protect each other: publishing one alone gives the
    # other away, so each sum's extra cells are first tried all together.
    groups = [{*s.parts, s.total} & hidden - fixed for s in sums]
    singles = sorted(hidden - fixed, key=lambda c: (values[c] != 0, c not in totals, -values[c], c))
    for group in [g for g in groups if len(g) > 1] + [{c} for c in singles]:
        if group <= hidden and not disclosed(values, sums, hidden - group, threshold):
            hidden = hidden - group
    return hidden


def _safe_width(r: Range, threshold: int) -> Fraction:
    """A range's width, counting every width from the threshold up as the same: safe is safe,
    and a wider range bought by hiding a total is no better."""
    return Fraction(threshold) if r.width is None else min(r.width, Fraction(threshold))


def _neighbours(hidden: set[str], sums: list[Sum]) -> set[str]:
    """Every cell that shares a sum with a hidden cell."""
    found: set[str] = set()
    for s in sums:
        cells = {s.total, *s.parts}
        if cells & hidden:
            found |= cells
    return found


def _check(values: Mapping[str, int], sums: list[Sum]) -> None:
    for s in sums:
        missing = [c for c in (s.total, *s.parts) if c not in values]
        if missing:
            raise ValueError(f"sum for {s.total} names cells with no value: {missing}")
        if values[s.total] != sum(values[p] for p in s.parts):
            raise ValueError(f"{s.total} is not the sum of its parts")
    negative = [c for c, v in values.items() if v < 0]
    if negative:
        raise ValueError(f"counts cannot be negative: {negative}")


# An exact number in the tableau: an int while it is one (every pivot of a table's sums is
# 1 or -1, so it almost always is: int arithmetic is some 20 times faster than Fraction's), a
# Fraction when a division does not come out whole. Both are exact, so the solver's path and
# answers are the same either way.
Exact = int | Fraction


def _divide(value: Exact, by: Exact) -> Exact:
    if by == 1:
        return value
    if by == -1:
        return -value
    quotient = Fraction(value) / by
    return quotient.numerator if quotient.denominator == 1 else quotient


class _System:
    """The reader's equations: for each sum, hidden cells on one side, published on the other;
    and each hidden cell's bounds. A cell x with bounds (low, high) is written x = low + y with
    y >= 0, and y + slack = high - low when it has a highest value, so the simplex, which knows
    only y >= 0, solves it."""

    def __init__(
        self, values: Mapping[str, int], sums: list[Sum], hidden: set[str], bounds: Bounds
    ) -> None:
        self.cells = sorted(hidden)
        index = {c: i for i, c in enumerate(self.cells)}
        limits = [bounds.get(c, (0, None)) for c in self.cells]
        self.low = [low for low, _ in limits]
        capped = [(i, high) for i, (_, high) in enumerate(limits) if high is not None]
        width = len(self.cells) + len(capped)
        rows: list[list[Exact]] = []
        rhs: list[Exact] = []
        for s in sums:
            row: list[Exact] = [0] * width
            known = 0
            for cell, sign in [(s.total, 1), *((p, -1) for p in s.parts)]:
                if cell in index:
                    row[index[cell]] += sign
                    known -= sign * self.low[index[cell]]
                else:
                    known -= sign * values[cell]
            if any(row):
                rows.append(row)
                rhs.append(known)
        for k, (i, high) in enumerate(capped):
            row = [0] * width
            row[i] = row[len(self.cells) + k] = 1
            rows.append(row)
            rhs.append(high - self.low[i])
        self.index = index
        self.tableau = _Tableau.feasible(rows, rhs, width)

    def range_of(self, cell: str) -> Range:
        i = self.index[cell]
        objective: list[Exact] = [0] * self.tableau.n
        objective[i] = 1
        high = self.tableau.maximise(objective)
        low = self.tableau.maximise([-v for v in objective])
        assert low is not None  # y >= 0 bounds every minimum
        return Range(
            Fraction(self.low[i] - low), None if high is None else Fraction(self.low[i] + high)
        )


class _Tableau:
    """A dense simplex tableau over the rationals, with Bland's rule so it always ends.

    Rows are `sum(a_j x_j) = b` with every x_j >= 0. `feasible` runs phase one once; each
    `maximise` runs phase two from that basis on a copy. A pivot updates only the columns where
    the pivot row is not 0 (most are: each sum names a few cells).
    """

    def __init__(self, rows: list[list[Exact]], basis: list[int], n: int) -> None:
        self.rows = rows  # each row: n coefficients, then the right-hand side
        self.basis = basis
        self.n = n

    @classmethod
    def feasible(cls, a: list[list[Exact]], b: list[Exact], n: int) -> _Tableau:
        m = len(a)
        rows = []
        for i, (coefficients, rhs) in enumerate(zip(a, b, strict=True)):
            sign = -1 if rhs < 0 else 1
            artificial: list[Exact] = [int(i == k) for k in range(m)]
            rows.append([sign * v for v in coefficients] + artificial + [sign * rhs])
        tableau = cls(rows, [n + i for i in range(m)], n + m)
        phase_one: list[Exact] = [*([0] * n), *([-1] * m)]
        best = tableau._optimise(phase_one)
        if best is None or best != 0:
            raise ValueError("the published figures contradict each other")
        tableau._drop_artificials(n)
        return tableau

    def maximise(self, objective: list[Exact]) -> Exact | None:
        copy = _Tableau([list(r) for r in self.rows], list(self.basis), self.n)
        return copy._optimise(objective)

    def _optimise(self, objective: list[Exact]) -> Exact | None:
        z: list[Exact] = [*objective, 0]
        for row, var in zip(self.rows, self.basis, strict=True):
            if z[var]:
                z = _minus(z, z[var], row, _nonzero(row))
        while True:
            entering = next((j for j in range(self.n) if z[j] > 0), None)
            if entering is None:
                return -z[-1]
            leaving = None
            for i, row in enumerate(self.rows):
                if row[entering] > 0:
                    ratio = _divide(row[-1], row[entering])
                    key = (ratio, self.basis[i])
                    if leaving is None or key < leaving[0]:
                        leaving = (key, i)
            if leaving is None:
                return None  # unbounded
            z = self._pivot(leaving[1], entering, z)

    def _pivot(self, r: int, j: int, z: list[Exact]) -> list[Exact]:
        pivot = self.rows[r][j]
        self.rows[r] = base = [_divide(v, pivot) for v in self.rows[r]]
        columns = _nonzero(base)
        for i, row in enumerate(self.rows):
            if i != r and row[j]:
                self.rows[i] = _minus(row, row[j], base, columns)
        self.basis[r] = j
        return _minus(z, z[j], base, columns) if z[j] else z

    def _drop_artificials(self, n: int) -> None:
        """Pivot zero-level artificials out of the basis (or drop their redundant rows), then
        forget the artificial columns."""
        keep: list[int] = []
        for i in range(len(self.rows)):
            if self.basis[i] >= n:
                column = next((j for j in range(n) if self.rows[i][j] != 0), None)
                if column is None:
                    continue  # a sum that repeats others: nothing left to say
                self._pivot(i, column, [0] * (len(self.rows[i])))
            keep.append(i)
        self.rows = [[*self.rows[i][:n], self.rows[i][-1]] for i in keep]
        self.basis = [self.basis[i] for i in keep]
        self.n = n


def _nonzero(row: list[Exact]) -> list[int]:
    return [k for k, v in enumerate(row) if v]


def _minus(row: list[Exact], factor: Exact, base: list[Exact], columns: list[int]) -> list[Exact]:
    """`row - factor * base`, as a new row, where `columns` are `base`'s non-zero columns."""
    out = list(row)
    for k in columns:
        value = out[k] - factor * base[k]
        # A Fraction that comes out whole goes back to being an int (the fast path).
        out[k] = value.numerator if type(value) is Fraction and value.denominator == 1 else value
    return out
