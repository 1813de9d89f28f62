"""Groupings of an ICB's practices: shipped (from the geography) or a user's CSV.

A grouping gives every practice of the ICB a *path* of group codes from the top level down, e.g.
``("QE1-LAN", "QE1-LAN-CW", "QE1-WL-SKEL")`` for a practice in a West Lancashire neighbourhood.
Money is shared top-down along the paths, so a finer grouping always reconciles exactly with the
coarser ones above it.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from placeworks.data import DataValidationError
from placeworks.geography import IcbDefinition, Level, Node, icb_tree
from placeworks.geography.areas import practices as year_practices

SHIPPED = ("places", "localities", "districts", "neighbourhoods", "pcns")


@dataclass(frozen=True)
class Grouping:
    """Practices of one ICB and year arranged in groups (possibly nested)."""

    name: str
    icb: str
    year: str
    levels: tuple[str, ...]
    paths: dict[str, tuple[str, ...]]  # practice code -> group codes, top level first
    names: dict[str, str] = field(default_factory=dict)  # group code -> name
    resident: dict[str, int | None] = field(default_factory=dict)  # group code -> residents

    def members(self, level: int | None = None) -> dict[str, str]:
        """Practice -> group code at ``level`` (default: the finest)."""
        depth = len(self.levels) - 1 if level is None else level
        return {practice: path[depth] for practice, path in self.paths.items()}

    def groups(self, level: int | None = None) -> list[str]:
        return sorted(set(self.members(level).values()))

    def level_index(self, level: str | None) -> int:
        if level is None:
            return len(self.levels) - 1
        if level not in self.levels:
            raise KeyError(f"grouping {self.name} has levels {', '.join(self.levels)}, not {level}")
        return self.levels.index(level)


def shipped(icb: str, year: str, name: str, definition: IcbDefinition | None = None) -> Grouping:
    """One of placeworks' groupings of ``icb``'s practices, made from its geography tree.

    ``definition`` is the partnership's own definition of places, localities and neighbourhoods
    (default: the shipped one, or the ICB's upper-tier authorities).
    """
    if name not in SHIPPED:
        raise KeyError(f"unknown grouping {name!r}; choose from {', '.join(SHIPPED)} or a CSV file")
    tree = icb_tree(icb, year, definition)
    names: dict[str, str] = {}
    resident: dict[str, int | None] = {}
    paths: dict[str, tuple[str, ...]] = {}

    def note(node: Node, label: str | None = None) -> str:
        names[node.code] = label or node.name
        resident[node.code] = (
            None if node.resident_population is None else int(node.resident_population)
        )
        return node.code

    def visit(
        node: Node,
        place: Node | None,
        locality: Node | None,
        district: Node | None,
        hood: Node | None,
        pcn: Node | None,
    ) -> None:
        if node.level is Level.PLACE:
            place = node
        elif node.level is Level.LOCALITY:
            locality = node
        elif node.level is Level.DISTRICT:
            district = node
        elif node.level is Level.NEIGHBOURHOOD:
            hood = node
        elif node.level is Level.PCN:
            pcn = node
        elif node.level is Level.PRACTICE:
            paths[node.code] = _path(name, node, place, locality, district, hood, pcn, note)
            return
        for child in node.children:
            visit(child, place, locality, district, hood, pcn)

    visit(tree, None, None, None, None, None)
    levels = {
        "places": ("place",),
        "localities": ("place", "locality"),
        "districts": ("place", "locality", "district"),
        "neighbourhoods": ("place", "locality", "neighbourhood"),
        "pcns": ("pcn",),
    }[name]
    if name == "neighbourhoods":
        _remainder_residents(tree, resident)
    return Grouping(name, icb, year, levels, paths, names, resident)


def _path(name, practice, place, locality, district, hood, pcn, note):
    if name == "pcns":
        if pcn is None:
            return (note(practice, f"{practice.name} (no PCN)"),)
        return (note(pcn),)
    top = note(place)
    middle = note(locality) if locality is not None else top
    if name == "places":
        return (top,)
    if name == "localities":
        return (top, middle)
    if name == "districts":
        return (top, middle, note(district))
    finest = note(hood) if hood is not None else note(district)
    return (top, middle, finest)


def _remainder_residents(tree: Node, resident: dict[str, int | None]) -> None:
    """A district's residents outside its neighbourhoods (all of them if it has none)."""
    for district in (n for n in tree.walk() if n.level is Level.DISTRICT):
        hoods = [c for c in district.children if c.level is Level.NEIGHBOURHOOD]
        if hoods and district.resident_population is not None:
            outside = district.resident_population - sum(h.resident_population for h in hoods)
            resident[district.code] = int(outside)


def from_csv(path: Path | str, icb: str, year: str, text: str | None = None) -> Grouping:
    """A user's grouping: a CSV of ``practice_code,group`` (optionally ``locality``,
    ``neighbourhood``), which must cover every practice of the ICB exactly once.

    Every problem is listed in one error: unknown practice codes, practices listed twice, and
    practices of the ICB that are missing.
    """
    file = str(path)
    if text is None:
        try:
            text = Path(path).read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise DataValidationError(file, f"cannot be read: {exc}") from exc
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip() for h in reader.fieldnames or []]
    for required in ("practice_code", "group"):
        if required not in header:
            raise DataValidationError(file, "column missing from the header", row=1, field=required)
    optional = [c for c in ("locality", "neighbourhood") if c in header]
    unexpected = sorted(set(header) - {"practice_code", "group", *optional})
    if unexpected:
        raise DataValidationError(file, f"unexpected columns {unexpected}", row=1)
    allocated = year_practices(year)
    of_icb = set(allocated.loc[allocated["icb_code"] == icb, "practice_code"])
    if not of_icb:
        raise KeyError(f"no practices for ICB {icb} in {year}")
    known = set(allocated["practice_code"])
    paths: dict[str, tuple[str, ...]] = {}
    first_row: dict[str, int] = {}
    problems: list[str] = []
    for line, row in enumerate(reader, start=2):
        row = {k.strip(): (v or "").strip() for k, v in row.items() if k is not None}
        code = row["practice_code"].upper()
        path = tuple(row[c] for c in ("group", *optional))
        if not code:
            problems.append(f"row {line}: practice_code is empty")
            continue
        if any(not part for part in path):
            problems.append(f"row {line}: {code} has an empty group")
            continue
        if code in first_row:
            problems.append(f"row {line}: {code} listed again (first at row {first_row[code]})")
            continue
        first_row[code] = line
        if code not in of_icb:
            where = "a practice of another ICB" if code in known else "not a known practice code"
            problems.append(f"row {line}: {code} is {where} in {year}")
            continue
        paths[code] = path
    missing = sorted(of_icb - set(first_row))
    if missing:
        problems.append(
            f"{len(missing)} practices of {icb} are missing: {', '.join(missing[:20])}"
            + (" ..." if len(missing) > 20 else "")
        )
    if problems:
        raise DataValidationError(
            file, f"the grouping must list every practice of {icb} once: " + "; ".join(problems)
        )
    _check_nesting(file, paths)
    names = {code: code for path in paths.values() for code in path}
    return Grouping(
        Path(file).name, icb, year, ("group", *optional), paths, names, dict.fromkeys(names)
    )


def _check_nesting(file: str, paths: dict[str, tuple[str, ...]]) -> None:
    """A finer group must sit inside one coarser group."""
    for depth in range(1, max(len(p) for p in paths.values())):
        parent_of: dict[str, str] = {}
        for path in paths.values():
            child, parent = path[depth], path[depth - 1]
            if parent_of.setdefault(child, parent) != parent:
                raise DataValidationError(
                    file, f"{child} sits in both {parent_of[child]} and {parent}", field=None
                )


def resolve(
    grouping: str, icb: str, year: str, definition: IcbDefinition | None = None
) -> Grouping:
    """A shipped grouping by name (built with ``definition`` if given), or a CSV file by path."""
    if grouping in SHIPPED:
        return shipped(icb, year, grouping, definition)
    path = Path(grouping)
    if path.suffix.lower() == ".csv" or path.exists():
        return from_csv(path, icb, year)
    raise KeyError(f"unknown grouping {grouping!r}; choose from {', '.join(SHIPPED)} or a CSV file")
