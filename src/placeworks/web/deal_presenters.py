"""What the deal register's pages show, worked out from records already read through the scope.

Nothing here touches the database: views read the records (through
``placeworks.governance.scope.visible`` and the actions) and hand them over; presenters only
read attributes, so their tests build plain stand-ins.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from placeworks.governance.lifecycle import STATUSES, allowed_next
from placeworks.governance.risks import RiskMatrixSpec, risk_band

# NHS.UK tag colours for a delegation's status (the text says the status; colour only helps).
STATUS_TAGS = {
    "proposed": "nhsuk-tag--grey",
    "readiness_assessed": "nhsuk-tag--blue",
    "approved": "nhsuk-tag--aqua-green",
    "effective": "nhsuk-tag--green",
    "varied": "nhsuk-tag--purple",
    "revoked": "nhsuk-tag--red",
}
DARK_TEXT = "#212b32"
LIGHT_TEXT = "#ffffff"


def format_date(value: datetime.date | None) -> str:
    return f"{value.day} {value:%B %Y}" if value else "Not set"


def format_pounds(value: Decimal | None) -> str:
    if value is None:
        return "Not set"
    return f"£{value:,.2f}"


def status_label(status: str) -> str:
    return STATUSES.get(status, status)


def _luminance(colour: str) -> float:
    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def text_colour_on(background: str | None) -> str:
    """White or NHS dark text, whichever contrasts more with ``background``."""
    if not background:
        return DARK_TEXT
    lum = _luminance(background)
    on_light = (lum + 0.05) / (_luminance(DARK_TEXT) + 0.05)
    on_dark = (1.05) / (lum + 0.05)
    return DARK_TEXT if on_light >= on_dark else LIGHT_TEXT


# --- the risk heat map ------------------------------------------------------------------------


@dataclass(frozen=True)
class HeatCell:
    likelihood: int
    impact: int
    score: int
    band: str
    background: str | None
    foreground: str
    count: int

    @property
    def style(self) -> str:
        if not self.background:
            return ""
        return f"background-color: {self.background}; color: {self.foreground};"

    @property
    def label(self) -> str:
        risks = "risk" if self.count == 1 else "risks"
        return f"{self.count} {risks}, score {self.score}, {self.band}"


@dataclass(frozen=True)
class HeatRow:
    likelihood: int
    label: str
    cells: tuple[HeatCell, ...]


@dataclass(frozen=True)
class HeatMap:
    """A likelihood (rows, highest first) by impact (columns) grid of current scores, each cell
    holding how many risks sit there, its score and its band's name."""

    title: str
    impact_labels: tuple[str, ...]
    rows: tuple[HeatRow, ...]
    total: int

    @classmethod
    def build(cls, title: str, spec: RiskMatrixSpec, points: Iterable[tuple[int, int]]) -> HeatMap:
        counts = Counter((likelihood, impact) for likelihood, impact in points)
        rows = []
        for likelihood in range(len(spec.likelihood), 0, -1):
            cells = []
            for impact in range(1, len(spec.impact) + 1):
                score = likelihood * impact
                band = risk_band(spec, score)
                cells.append(
                    HeatCell(
                        likelihood,
                        impact,
                        score,
                        band.name,
                        band.colour,
                        text_colour_on(band.colour),
                        counts.get((likelihood, impact), 0),
                    )
                )
            label = f"{likelihood} {spec.likelihood[likelihood - 1]}"
            rows.append(HeatRow(likelihood, label, tuple(cells)))
        impact_labels = tuple(f"{i} {name}" for i, name in enumerate(spec.impact, start=1))
        return cls(title, impact_labels, tuple(rows), sum(counts.values()))


# --- rows of the place page -------------------------------------------------------------------


@dataclass(frozen=True)
class DelegationRow:
    pk: int
    function: str
    delegate: str
    phase: str
    status: str
    status_label: str
    status_tag: str
    status_since: str
    target_date: str

    @classmethod
    def of(cls, delegation) -> DelegationRow:
        to = delegation.delegate_post or delegation.delegate_body
        return cls(
            pk=delegation.pk,
            function=str(delegation.function),
            delegate=str(to) if to is not None else "Not set",
            phase=str(delegation.phase) if delegation.phase else "Not phased",
            status=delegation.status,
            status_label=status_label(delegation.status),
            status_tag=STATUS_TAGS.get(delegation.status, ""),
            status_since=format_date(delegation.status_since),
            target_date=format_date(delegation.target_date),
        )


def delegation_rows(delegations: Iterable) -> tuple[DelegationRow, ...]:
    """Delegations by phase (unphased last), then function."""
    ordered = sorted(
        delegations, key=lambda d: (d.phase is None, d.phase or 0, str(d.function).casefold())
    )
    return tuple(DelegationRow.of(d) for d in ordered)


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int


def status_counts(delegations: Iterable) -> tuple[StatusCount, ...]:
    """How many delegations are in each status, in the lifecycle's order (every status)."""
    counts = Counter(d.status for d in delegations)
    return tuple(StatusCount(s, label, counts.get(s, 0)) for s, label in STATUSES.items())


@dataclass(frozen=True)
class ReadinessRow:
    place: str
    levels: tuple[str, ...]


@dataclass(frozen=True)
class ReadinessTable:
    functions: tuple[str, ...]
    rows: tuple[ReadinessRow, ...]

    @classmethod
    def of(cls, matrix) -> ReadinessTable:
        """From an ``actions.ReadinessMatrix``: each cell the latest level and its date."""
        rows = []
        for place, cells in matrix.rows():
            levels = []
            for cell in cells:
                if cell.level is None:
                    levels.append("Not assessed")
                else:
                    levels.append(f"{cell.level.name} ({format_date(cell.assessment.assessed_on)})")
            rows.append(ReadinessRow(place.name, tuple(levels)))
        return cls(tuple(str(f) for f in matrix.functions), tuple(rows))


@dataclass(frozen=True)
class FundSummary:
    name: str
    years: tuple[tuple[str, str], ...]
    partners: tuple[tuple[str, str], ...]
    total: str

    @classmethod
    def of(cls, fund, totals) -> FundSummary:
        return cls(
            name=str(fund.name),
            years=tuple((y, format_pounds(totals.by_year[y])) for y in sorted(totals.by_year)),
            partners=tuple(
                (str(p), format_pounds(amount))
                for p, amount in sorted(totals.by_partner.items(), key=lambda kv: str(kv[0]))
            ),
            total=format_pounds(totals.total),
        )


@dataclass(frozen=True)
class RiskRow:
    pk: int
    reference: str
    title: str
    category: str
    owner: str
    current: str
    band: str
    appetite: int
    above_appetite: bool
    review_date: str
    overdue: bool

    @classmethod
    def of(cls, risk, today: datetime.date) -> RiskRow:
        spec = risk.category.matrix.spec()
        score = risk.current_likelihood * risk.current_impact
        return cls(
            pk=risk.pk,
            reference=risk.reference,
            title=risk.title,
            category=str(risk.category),
            owner=str(risk.owner) if risk.owner else "Not set",
            current=f"{score} ({risk.current_likelihood} × {risk.current_impact})",
            band=risk_band(spec, score).name,
            appetite=risk.category.appetite,
            above_appetite=score > risk.category.appetite,
            review_date=format_date(risk.review_date),
            overdue=bool(risk.review_date and risk.review_date < today),
        )


@dataclass(frozen=True)
class DecisionRow:
    made_on: str
    title: str
    maker: str
    reasons: str

    @classmethod
    def of(cls, decision) -> DecisionRow:
        maker = decision.maker_body or decision.maker_post
        return cls(
            made_on=format_date(decision.made_on),
            title=decision.title,
            maker=str(maker) if maker else "Not recorded",
            reasons=decision.reasons or "None given",
        )


def heat_maps(risks: Sequence) -> tuple[HeatMap, ...]:
    """One heat map of current scores per matrix the open risks are scored on."""
    by_matrix: dict[int, list] = {}
    matrices = {}
    for risk in risks:
        if getattr(risk, "status", "open") != "open":
            continue
        matrix = risk.category.matrix
        matrices[matrix.pk] = matrix
        by_matrix.setdefault(matrix.pk, []).append((risk.current_likelihood, risk.current_impact))
    return tuple(
        HeatMap.build(str(matrices[pk]), matrices[pk].spec(), points)
        for pk, points in by_matrix.items()
    )


@dataclass(frozen=True)
class AgreementDate:
    """A date an agreement asks the partnership to act by: its review, or the last day to give
    notice of ending it."""

    on: str
    what: str
    agreement: str
    pk: int
    overdue: bool


def agreement_dates(agreements: Iterable, today: datetime.date) -> tuple[AgreementDate, ...]:
    """Review and notice dates of the agreements still in force or being drawn up, soonest
    first."""
    found = []
    for agreement in agreements:
        if getattr(agreement, "status", None) == "ended":
            continue
        for field, what in (("review_date", "Review"), ("notice_date", "Last day for notice")):
            day = getattr(agreement, field)
            if day is not None:
                found.append((day, what, agreement))
    found.sort(key=lambda item: (item[0], item[2].title))
    return tuple(
        AgreementDate(format_date(day), what, str(a.title), a.pk, day < today)
        for day, what, a in found
    )


@dataclass(frozen=True)
class PlacePage:
    code: str
    name: str
    icb_code: str
    can_edit: bool
    status_counts: tuple[StatusCount, ...]
    delegations: tuple[DelegationRow, ...]
    readiness: ReadinessTable
    funds: tuple[FundSummary, ...]
    heat_maps: tuple[HeatMap, ...]
    above_appetite: tuple[RiskRow, ...]
    reviews: tuple[RiskRow, ...]
    decisions: tuple[DecisionRow, ...]
    agreement_dates: tuple[AgreementDate, ...] = ()

    @classmethod
    def build(
        cls,
        place,
        *,
        can_edit: bool,
        delegations: Sequence,
        readiness,
        funds: Iterable[tuple[object, object]],
        risks: Sequence,
        decisions: Iterable,
        today: datetime.date,
        reviews_shown: int = 10,
        agreements: Iterable = (),
    ) -> PlacePage:
        open_risks = [r for r in risks if getattr(r, "status", "open") == "open"]
        rows = [RiskRow.of(r, today) for r in open_risks]
        dated = sorted(
            (r for r in open_risks if r.review_date), key=lambda r: (r.review_date, r.reference)
        )
        return cls(
            code=place.code,
            name=place.name,
            icb_code=place.icb_code,
            can_edit=can_edit,
            status_counts=status_counts(delegations),
            delegations=delegation_rows(delegations),
            readiness=ReadinessTable.of(readiness),
            funds=tuple(FundSummary.of(fund, totals) for fund, totals in funds),
            heat_maps=heat_maps(risks),
            above_appetite=tuple(row for row in rows if row.above_appetite),
            reviews=tuple(RiskRow.of(r, today) for r in dated[:reviews_shown]),
            decisions=tuple(DecisionRow.of(d) for d in decisions),
            agreement_dates=agreement_dates(agreements, today),
        )


# --- a delegation's page ----------------------------------------------------------------------


@dataclass(frozen=True)
class TransitionRow:
    on: str
    change: str
    maker: str
    reasons: str
    evidence: str

    @classmethod
    def of(cls, transition) -> TransitionRow:
        decision = transition.decision
        maker = decision.maker_body or decision.maker_post
        return cls(
            on=format_date(transition.on),
            change=f"{status_label(transition.from_status)} to "
            f"{status_label(transition.to_status).lower()}",
            maker=str(maker) if maker else "Not recorded",
            reasons=decision.reasons or "None given",
            evidence=decision.evidence or "None given",
        )


@dataclass(frozen=True)
class DelegationPage:
    pk: int
    place_code: str
    place_name: str
    title: str
    summary: tuple[tuple[str, str], ...]
    status: str
    status_label: str
    status_tag: str
    next_statuses: tuple[tuple[str, str], ...]
    history: tuple[TransitionRow, ...]
    can_edit: bool
    version: int

    @classmethod
    def build(cls, delegation, transitions: Iterable, *, can_edit: bool) -> DelegationPage:
        to = delegation.delegate_post or delegation.delegate_body
        instrument = delegation.instrument or delegation.instrument_reference or "Not set"
        summary = (
            ("Function", str(delegation.function)),
            ("Delegated by", str(delegation.delegator)),
            ("Delegated to", str(to) if to else "Not set"),
            ("Discharged through", str(delegation.via_body) if delegation.via_body else "None"),
            ("Legal basis", delegation.legal_basis or "Not set"),
            ("Instrument", str(instrument)),
            ("Financial limit", format_pounds(delegation.financial_limit)),
            ("Phase", str(delegation.phase) if delegation.phase else "Not phased"),
            ("Target date", format_date(delegation.target_date)),
            ("Status", status_label(delegation.status)),
            ("Status since", format_date(delegation.status_since)),
            ("Notes", delegation.notes or "None"),
        )
        return cls(
            pk=delegation.pk,
            place_code=delegation.place_id,
            place_name=delegation.place.name,
            title=f"{delegation.function} to {to}" if to else str(delegation.function),
            summary=summary,
            status=delegation.status,
            status_label=status_label(delegation.status),
            status_tag=STATUS_TAGS.get(delegation.status, ""),
            next_statuses=tuple((s, status_label(s)) for s in allowed_next(delegation.status)),
            history=tuple(TransitionRow.of(t) for t in transitions),
            can_edit=can_edit,
            version=delegation.version,
        )
