"""Reading a page's tables in tests: the text of every cell of every table with an id."""

from __future__ import annotations

from html.parser import HTMLParser


class Tables(HTMLParser):
    """The text of every cell of every table with an id, row by row.

    The headings a responsive table repeats in each cell for small screens are left out.
    """

    def __init__(self):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.table: str | None = None
        self.cell: list[str] | None = None
        self.hidden = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "span" and attrs.get("class") == "nhsuk-table__heading":
            self.hidden = True
        elif tag == "table" and attrs.get("id"):
            self.table = attrs["id"]
            self.tables[self.table] = []
        elif self.table and tag == "tr":
            self.tables[self.table].append([])
        elif self.table and tag in {"td", "th"}:
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "span" and self.hidden:
            self.hidden = False
        elif tag == "table":
            self.table = None
        elif self.table and tag in {"td", "th"} and self.cell is not None:
            self.tables[self.table][-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None and not self.hidden:
            self.cell.append(data)


def tables_of(response) -> dict[str, list[list[str]]]:
    """Each table of a response by its id: rows of cell texts."""
    parser = Tables()
    parser.feed(response.content.decode())
    return parser.tables
