"""What a register's pages show: a record's fields as people read them, a list's rows, a
record's summary, its history with each field before and after, and the table of an export.

Nothing here touches the database: views read the records through the scope and hand them over
(with the names of linked records a history refers to); presenters only read attributes.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.db import models
from django.utils.timezone import localtime

from placeworks.web.deal_presenters import format_date, format_pounds
from placeworks.web.registers import Register

MONEY_FIELDS = frozenset({"amount", "financial_limit"})
NOT_SET = "Not set"


def field_value(record: models.Model, name: str) -> Any:
    """The stored value of a field, with linked records as records and lists as lists."""
    field = record._meta.get_field(name)
    if field.many_to_many:
        return list(getattr(record, name).all())
    return getattr(record, name)


def show(field: models.Field, value: Any) -> str:
    """A value of ``field`` as a page shows it."""
    if field.many_to_many:
        return ", ".join(str(v) for v in value) if value else "None"
    if value is None or value == "" or value == [] or value == {}:
        return NOT_SET
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime.date):
        return format_date(value)
    if isinstance(value, Decimal) and field.name in MONEY_FIELDS:
        return format_pounds(value)
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in value.items())
    return str(value)


def display(record: models.Model, name: str, register: Register | None = None) -> str:
    if register is not None and name in register.computed:
        return register.computed[name][1](record)
    if name == "place":
        return record.place.name if record.place_id else f"The whole ICB ({record.icb_code})"
    return show(record._meta.get_field(name), field_value(record, name))


# --- lists ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    label: str
    sort_url: str | None
    sorted: str | None  # "ascending", "descending" or None


@dataclass(frozen=True)
class Row:
    url: str
    cells: tuple[str, ...]


@dataclass(frozen=True)
class FilterOption:
    value: str
    text: str
    selected: bool


@dataclass(frozen=True)
class Filter:
    name: str
    label: str
    options: tuple[FilterOption, ...]


@dataclass(frozen=True)
class ListQuery:
    """What a list is asked for: search text, filters, sort and page, from the query string."""

    q: str
    filters: Mapping[str, str]
    sort: str
    page: int

    @classmethod
    def parse(cls, register: Register, params: Mapping[str, str]) -> ListQuery:
        stored = [c for c in register.columns if c not in register.computed]
        sortable = {*stored, *(f"-{c}" for c in stored)}
        sort = params.get("sort", "")
        try:
            page = max(1, int(params.get("page", "1")))
        except ValueError:
            page = 1
        filters = {
            name: params[name]
            for name in (*register.filters, "scope")
            if params.get(name, "") != ""
        }
        return cls(
            q=params.get("q", "").strip(),
            filters=filters,
            sort=sort if sort in sortable else "",
            page=page,
        )

    def url(self, **changes: Any) -> str:
        """This query's string with ``changes`` (None drops a parameter)."""
        values: dict[str, Any] = {"q": self.q, **self.filters, "sort": self.sort}
        values["page"] = self.page if self.page > 1 else None
        values.update(changes)
        kept = {k: v for k, v in values.items() if v not in (None, "")}
        return "?" + urlencode(kept) if kept else "?"


@dataclass(frozen=True)
class ListPage:
    title: str
    singular: str
    headings: tuple[Heading, ...]
    rows: tuple[Row, ...]
    filters: tuple[Filter, ...]
    query: ListQuery
    total: int
    first: int
    last: int
    previous_url: str | None
    next_url: str | None
    page: int
    pages: int
    csv_url: str
    xlsx_url: str

    @classmethod
    def build(
        cls,
        register: Register,
        records: Sequence[models.Model],
        *,
        query: ListQuery,
        total: int,
        page: int,
        pages: int,
        first: int,
        filter_choices: Mapping[str, Sequence[tuple[str, str]]],
        url_of: Callable[[models.Model], str],
        export_url: Callable[[str], str],
    ) -> ListPage:
        headings = []
        for name in register.columns:
            state = None
            if query.sort == name:
                state = "ascending"
            elif query.sort == f"-{name}":
                state = "descending"
            flip = f"-{name}" if state == "ascending" else name
            sort_url = None if name in register.computed else query.url(sort=flip, page=None)
            headings.append(Heading(register.field_label(name), sort_url, state))
        rows = tuple(
            Row(url_of(r), tuple(display(r, name, register) for name in register.columns))
            for r in records
        )
        filters = tuple(
            Filter(
                name,
                "Belongs to" if name == "scope" else register.field_label(name),
                tuple(
                    FilterOption(value, text, query.filters.get(name) == value)
                    for value, text in choices
                ),
            )
            for name, choices in filter_choices.items()
        )
        suffix = query.url(page=None)
        return cls(
            title=register.title,
            singular=register.singular,
            headings=tuple(headings),
            rows=rows,
            filters=filters,
            query=query,
            total=total,
            first=first if rows else 0,
            last=first + len(rows) - 1 if rows else 0,
            previous_url=query.url(page=page - 1) if page > 1 else None,
            next_url=query.url(page=page + 1) if page < pages else None,
            page=page,
            pages=pages,
            csv_url=export_url("csv") + (suffix if suffix != "?" else ""),
            xlsx_url=export_url("xlsx") + (suffix if suffix != "?" else ""),
        )


# --- a record ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class HistoryEntry:
    """One saved version: when, who, what kind of change, each field before and after."""

    at: str
    by: str
    kind: str
    version: int
    reason: str | None
    changes: tuple[FieldChange, ...]


def history_entries(
    model: type[models.Model],
    changes: Iterable,
    names: Mapping[tuple[type[models.Model], Any], str],
) -> tuple[HistoryEntry, ...]:
    """A record's history (``actions.changes``), newest first, with linked records named from
    ``names`` (``(model, id) -> name``; a record the user may not see shows as its number)."""
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    by_attname.update({f.name: f for f in model._meta.many_to_many})
    entries = []
    for change in changes:
        fields = []
        for fc in change.fields:
            field = by_attname.get(fc.field)
            if field is None or fc.field in {"id", "version", "icb_code"}:
                continue
            fields.append(
                FieldChange(
                    _capital(str(field.verbose_name)),
                    _shown(field, fc.before, names) if change.kind != "created" else "",
                    _shown(field, fc.after, names),
                )
            )
        entries.append(
            HistoryEntry(
                at=f"{format_date(localtime(change.at).date())} at {localtime(change.at):%H:%M}",
                by=change.by or "the register",
                kind=change.kind,
                version=change.version,
                reason=change.reason,
                changes=tuple(fields),
            )
        )
    return tuple(reversed(entries))


def linked_ids(
    model: type[models.Model], changes: Iterable
) -> dict[tuple[type[models.Model], str], set]:
    """The keys of linked records a history mentions, by model and key field (``id``, or
    ``code`` for a place), for the view to name."""
    relations = {f.attname: f for f in model._meta.concrete_fields if f.is_relation}
    relations.update({f.name: f for f in model._meta.many_to_many})
    wanted: dict[tuple[type[models.Model], str], set] = {}
    for change in changes:
        for fc in change.fields:
            field = relations.get(fc.field)
            if field is None:
                continue
            for value in (fc.before, fc.after):
                values = value if isinstance(value, list) else [value]
                key = "pk" if field.many_to_many else field.target_field.attname
                wanted.setdefault((field.related_model, key), set()).update(
                    v for v in values if v is not None
                )
    return wanted


def _shown(field: models.Field, value: Any, names: Mapping) -> str:
    if field.is_relation:
        values = value if isinstance(value, list) else [value]
        shown = [
            names.get((field.related_model, v), f"number {v}") for v in values if v is not None
        ]
        return ", ".join(shown) if shown else ("None" if field.many_to_many else NOT_SET)
    return show(field, value)


@dataclass(frozen=True)
class ChildTable:
    title: str
    slug: str
    headings: tuple[str, ...]
    rows: tuple[Row, ...]
    add_url: str | None


@dataclass(frozen=True)
class SummaryRow:
    label: str
    value: str
    url: str | None = None  # the page of a linked record


@dataclass(frozen=True)
class RecordPage:
    title: str
    singular: str
    summary: tuple[SummaryRow, ...]
    children: tuple[ChildTable, ...]
    decisions: tuple[Row, ...]
    history: tuple[HistoryEntry, ...]
    edit_url: str | None
    list_url: str
    version: int

    @classmethod
    def build(
        cls,
        register: Register,
        record: models.Model,
        *,
        children: Sequence[ChildTable],
        decisions: Sequence[Row],
        history: Sequence[HistoryEntry],
        edit_url: str | None,
        list_url: str,
        link: Callable[[models.Model], str | None] = lambda linked: None,
    ) -> RecordPage:
        """``link`` gives the page of a linked record (None if it has none or is not seen)."""
        summary = [SummaryRow(register.field_label("place"), display(record, "place"))]
        for name in _summary_fields(register, record):
            field = record._meta.get_field(name)
            linked = getattr(record, name) if field.many_to_one else None
            summary.append(
                SummaryRow(
                    register.field_label(name),
                    display(record, name),
                    link(linked) if linked is not None else None,
                )
            )
        return cls(
            title=str(record),
            singular=_capital(register.singular),
            summary=tuple(summary),
            children=tuple(children),
            decisions=tuple(decisions),
            history=tuple(history),
            edit_url=edit_url,
            list_url=list_url,
            version=record.version,
        )


def _summary_fields(register: Register, record: models.Model) -> list[str]:
    skip = {"id", "version", "icb_code", "place"}
    names = [f.name for f in record._meta.concrete_fields if f.name not in skip]
    names += [f.name for f in record._meta.many_to_many]
    return names


# --- exports ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportTable:
    headings: list[str]
    rows: list[list[Any]]
    money: frozenset[int]  # the columns holding pounds


def export_table(register: Register, records: Iterable[models.Model]) -> ExportTable:
    """Every field of every record, for CSV and Excel: a heading row and typed values (dates as
    dates, money as exact Decimals, linked records by name, lists joined with "; ")."""
    model = register.model
    fields = [f for f in model._meta.concrete_fields if f.name not in {"icb_code", "place"}]
    many = list(model._meta.many_to_many)
    headings = ["ICB", "Place", *(_capital(str(f.verbose_name)) for f in [*fields, *many])]
    rows = []
    for record in records:
        row: list[Any] = [record.icb_code, record.place_id or ""]
        for field in fields:
            value = getattr(record, field.name)
            if field.is_relation:
                value = str(value) if value is not None else ""
            elif field.choices and value is not None:
                value = str(dict(field.flatchoices).get(value, value))
            elif isinstance(value, list):
                value = "; ".join(str(v) for v in value)
            elif isinstance(value, dict):
                value = "; ".join(f"{k}: {v}" for k, v in value.items())
            row.append("" if value is None else value)
        for field in many:
            row.append("; ".join(str(v) for v in getattr(record, field.name).all()))
        rows.append(row)
    money = frozenset(2 + i for i, f in enumerate(fields) if f.name in MONEY_FIELDS)
    return ExportTable(headings, rows, money)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
