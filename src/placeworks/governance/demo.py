"""The worked example in the register: Lancashire and South Cumbria, loaded from
``governance/examples/`` through the register's own actions, and the demo's accounts.

:func:`load_worked_example` maps ``lancashire.yaml`` (and the example readiness framework and
risk appetites) onto the models. Every record is written by an action, so its history names who
loaded it. Loading is atomic (all or nothing) and idempotent: each record is looked up by its
natural key first and left alone if it is there, so a second load writes nothing.

What the register has no model for (stories, sources, localities, strategies, the deal itself,
staff alignment, name histories) is not loaded; nor is a record the register cannot hold without
a fact the reports do not give (see :data:`NOT_LOADED`). Illustrative values (readiness
assessments, risk scores) say ILLUSTRATIVE in their evidence or description.

:func:`ensure_demo_accounts` creates the demo's users and roles. Their password,
:data:`DEMO_PASSWORD`, is published here: the accounts are for a local demo only and must never
exist on a shared or production database.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import yaml
from django.contrib.auth import get_user_model
from django.db import models, transaction

from placeworks.governance import actions
from placeworks.governance.models import (
    Agreement,
    Body,
    BodyMembership,
    Decision,
    Delegation,
    Function,
    Membership,
    Milestone,
    NeighbourhoodTeam,
    Nomination,
    Organisation,
    Partnership,
    Place,
    Post,
    PostHolding,
    ReadinessAssessment,
    ReadinessFramework,
    ReportingLine,
    Risk,
    RiskCategory,
    RiskMatrix,
    Role,
    Service,
    TeamRole,
    Workstream,
)

ICB = "QE1"
ILLUSTRATIVE = "ILLUSTRATIVE"
# The matrix is governance/policies/risk-matrix-npsa-5x5.yaml (the model's default); only the
# categories and their appetites come from examples/risk_matrix.yaml.
MATRIX_NAME = "NPSA 5 × 5 risk matrix"

# Demo-only accounts: a published password, for a local demo database and nothing else.
DEMO_PASSWORD = "placeworks-demo"
DEMO_ADMIN = "icb-admin"
# username: (level, place code or None for ICB-wide)
DEMO_ACCOUNTS: dict[str, tuple[str, str | None]] = {
    DEMO_ADMIN: (Role.Level.ADMINISTRATOR, None),
    "lancs-editor": (Role.Level.EDITOR, "QE1-LAN"),
    "lancs-viewer": (Role.Level.VIEWER, "QE1-LAN"),
    "blackpool-editor": (Role.Level.EDITOR, "QE1-BPL"),
}

# Records of lancashire.yaml the register cannot hold as the reports give them.
NOT_LOADED = (
    "stories, sources, localities, strategies, staff alignments and the deal itself: no model",
    "organisations' name histories (RW5, RBN): the register keeps the current name only",
    "memberships and body seats of a sector (district councils, voluntary, care): a membership"
    " or seat names an organisation or post",
    "the Lancashire place pooled fund: a pooled fund needs a Section 75 or 256 agreement and a"
    " host, neither of which the report gives",
    "the 2019 risk of not taking part: the report gives no scores and a risk needs them",
    "care at home (Lancashire): a service needs a provider and the commissioners are not named",
)

_EXAMPLES = "placeworks.governance.examples"

_ORGANISATION_KINDS = {
    "nhs_foundation_trust": Organisation.Kind.NHS_FOUNDATION_TRUST,
    "county_council": Organisation.Kind.COUNTY_COUNCIL,
    "independent_provider": Organisation.Kind.PRIVATE_PROVIDER,
    "district_council": Organisation.Kind.DISTRICT_COUNCIL,
    "clinical_commissioning_group": Organisation.Kind.CCG,
    "voluntary_sector_infrastructure": Organisation.Kind.VOLUNTARY_SECTOR,
    "gp_federation": Organisation.Kind.GP_FEDERATION,
    "nhs_trust": Organisation.Kind.NHS_TRUST,
    "integrated_care_board": Organisation.Kind.ICB,
    "healthwatch": Organisation.Kind.HEALTHWATCH,
    "unitary_council": Organisation.Kind.UNITARY_COUNCIL,
}
_BODY_KINDS = {
    "cabinet": Body.Kind.CABINET,
    "full_council": Body.Kind.FULL_COUNCIL,
    "leadership_group": Body.Kind.SYSTEM_LEADERS,
    "board": Body.Kind.ICB_BOARD,
    "scrutiny_committee": Body.Kind.SCRUTINY_COMMITTEE,
    "health_and_wellbeing_board": Body.Kind.HEALTH_AND_WELLBEING_BOARD,
    "place_board": Body.Kind.PLACE_BOARD,
    "place_partnership_meeting": Body.Kind.PLACE_PARTNERSHIP,
    "district_partnership": Body.Kind.DISTRICT_PARTNERSHIP,
}
# The place each organisation's own records (posts, bodies, services) belong to; absent: the ICB.
_ORGANISATION_PLACES = {
    "wlbc": "QE1-LAN",
    "lancashire_cc": "QE1-LAN",
    "bwd_council": "QE1-BWD",
    "blackpool_council": "QE1-BPL",
}
# A West Lancashire partnership is in the Lancashire place (E07000127 is a Lancashire district).
_AREA_PLACES = {"E07000127": "QE1-LAN"}
_CONSULTATION_STATUS = {
    "ongoing": Decision.Status.ONGOING,
    "held": Decision.Status.DONE,
    "planned": Decision.Status.PLANNED,
}
_MILESTONE_STATUS = {
    "planned": Milestone.Status.NOT_STARTED,
    "in_progress": Milestone.Status.ON_TRACK,
}


@dataclass
class Summary:
    """What a load did: records created and records already there, by model."""

    created: Counter = field(default_factory=Counter)
    found: Counter = field(default_factory=Counter)

    def counts(self) -> dict[str, int]:
        """Records of the worked example by model (created now or before)."""
        return dict(sorted((self.created + self.found).items()))

    def __str__(self) -> str:
        made, there = sum(self.created.values()), sum(self.found.values())
        parts = ", ".join(f"{name} {count}" for name, count in self.counts().items())
        return f"worked example: {made} records created, {there} already there ({parts})"


def example_data() -> tuple[dict, dict, dict]:
    """lancashire.yaml, readiness_framework.yaml and risk_matrix.yaml, parsed."""
    files = resources.files(_EXAMPLES)
    return tuple(
        yaml.safe_load((files / name).read_text(encoding="utf-8"))
        for name in ("lancashire.yaml", "readiness_framework.yaml", "risk_matrix.yaml")
    )


def ensure_demo_accounts() -> dict[str, Any]:
    """The demo's users (created if missing, password :data:`DEMO_PASSWORD`) with their roles.

    ``icb-admin`` becomes QE1's first administrator (refused if QE1 already has another one),
    creates the four places if they are missing, and grants the place roles. Idempotent.
    """
    users = {}
    User = get_user_model()
    with transaction.atomic():
        for username in DEMO_ACCOUNTS:
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User.objects.create_user(username, password=DEMO_PASSWORD)
            users[username] = user
        admin = users[DEMO_ADMIN]
        if not Role.objects.filter(user=admin, icb_code=ICB, place__isnull=True).exists():
            actions.grant_first_administrator(admin, ICB)
        lancashire, _, _ = example_data()
        _Loader(lancashire, {}, {}, by=admin).places()
        for username, (level, place_code) in DEMO_ACCOUNTS.items():
            if place_code is None:
                continue
            user = users[username]
            if not Role.objects.filter(user=user, place_id=place_code).exists():
                place = Place.objects.get(code=place_code)
                actions.grant_role(user, level, by=admin, place=place)
    return users


def demo_accounts_text() -> str:
    """The demo accounts and their password, to print when the demo starts."""
    lines = [f"Demo accounts (password {DEMO_PASSWORD!r}; demo only, never on a shared database):"]
    for username, (level, place) in DEMO_ACCOUNTS.items():
        lines.append(f"  {username:<17} {level} of {place or 'all of ' + ICB}")
    return "\n".join(lines)


def load_worked_example(*, by) -> Summary:
    """Load the Lancashire worked example as ``by`` (an ICB-wide editor or administrator of
    QE1), all or nothing; records already there (by natural key) are left as they are."""
    lancashire, framework, matrix = example_data()
    with transaction.atomic():
        return _Loader(lancashire, framework, matrix, by=by).load()


def _date(text: str | None) -> datetime.date | None:
    """An ISO date, or the first of the month for YYYY-MM."""
    if not text:
        return None
    text = str(text)
    return datetime.date.fromisoformat(text if len(text) > 7 else f"{text}-01")


def _month_note(text: str | None) -> str:
    return " (the report gives the month only)" if text and len(str(text)) == 7 else ""


def _join(*parts: str | None) -> str:
    return " ".join(" ".join(str(p).split()) for p in parts if p)


class _Loader:
    def __init__(self, lancashire: dict, framework: dict, matrix: dict, *, by) -> None:
        self.data = lancashire
        self.framework_data = framework
        self.matrix_data = matrix
        self.by = by
        self.summary = Summary()
        self.ids: dict[str, models.Model] = {}
        self.records = {
            record["id"]: record
            for name, section in lancashire.items()
            if isinstance(section, list)
            for record in section
            if isinstance(record, dict) and "id" in record
        }

    # --- the one way a record is written -------------------------------------------------------

    def ensure(self, model: type[models.Model], key: dict, values: dict, *, yaml_id: str = ""):
        """The record of ``model`` matching ``key``, created (with ``values``) if missing."""
        record = model._base_manager.filter(**key).first()
        if record is None:
            record = actions.create(model, by=self.by, **values)
            self.summary.created[model.__name__] += 1
        else:
            self.summary.found[model.__name__] += 1
        if yaml_id:
            self.ids[yaml_id] = record
        return record

    def scope(self, place_code: str | None) -> dict:
        return {"place": self.place(place_code)} if place_code else {"icb_code": ICB}

    def place(self, code: str | None) -> Place | None:
        return Place.objects.get(code=code) if code else None

    def key_scope(self, place_code: str | None) -> dict:
        return {"place_id": place_code} if place_code else {"icb_code": ICB, "place__isnull": True}

    def section(self, name: str) -> list[dict]:
        return self.data.get(name) or []

    # --- sections, in the order their links need -----------------------------------------------

    def load(self) -> Summary:
        self.places()
        self.organisations()
        self.agreements()
        self.partnerships()
        self.posts()
        self.bodies()
        self.memberships()
        self.nominations()
        self.body_memberships()
        self.reporting_lines()
        self.post_holdings()
        self.functions()
        self.delegations()
        self.readiness()
        self.risks()
        self.services()
        self.neighbourhood_teams()
        self.workstreams()
        self.decisions()
        self.consultations()
        return self.summary

    def places(self) -> None:
        for row in self.section("places"):
            code = row["geography_code"]
            self.ensure(
                Place,
                {"code": code},
                {"code": code, "name": row["name"], "icb_code": code[:3]},
                yaml_id=row["id"],
            )

    def place_of(self, yaml_id: str) -> str | None:
        """The place code of a yaml record (place, organisation, partnership, post ...)."""
        row = self.records[yaml_id]
        if "geography_code" in row and yaml_id.startswith("place_"):
            return row["geography_code"]
        if row.get("place"):
            return self.records[row["place"]]["geography_code"]
        if row.get("area_gss"):
            return _AREA_PLACES[row["area_gss"]]
        if row.get("locality"):
            return self.place_of(self.records[row["locality"]]["place"])
        if row.get("partnership"):
            return self.place_of(row["partnership"])
        if row.get("organisation"):
            return _ORGANISATION_PLACES.get(row["organisation"])
        if row.get("organisations"):  # a joint post: the place of its non-ICB organisation
            places = {_ORGANISATION_PLACES.get(org) for org in row["organisations"]} - {None}
            return places.pop() if len(places) == 1 else None
        return _ORGANISATION_PLACES.get(yaml_id)

    def organisations(self) -> None:
        rows = sorted(self.section("organisations"), key=lambda row: "successor" in row)
        for row in rows:
            codes = row.get("codes") or {}
            system = "ods" if "ods" in codes else "gss" if "gss" in codes else "none"
            code = codes.get(system, "")
            key = {"code_system": system, "code": code} if code else {"name": row["name"]}
            successor = row.get("successor")
            self.ensure(
                Organisation,
                key,
                {
                    "name": row["name"],
                    "kind": _ORGANISATION_KINDS[row["kind"]],
                    "code_system": system,
                    "code": code,
                    "valid_from": _date(row.get("established_date")),
                    "valid_to": _date(row.get("closed_date")),
                    "successor": self.ids[successor["organisation"]] if successor else None,
                    "icb_code": ICB,
                },
                yaml_id=row["id"],
            )

    def agreements(self) -> None:
        kinds = {
            "council_protocol": Agreement.Kind.PARTNERSHIP_PROTOCOL,
            "memorandum_of_understanding": Agreement.Kind.MEMORANDUM_OF_UNDERSTANDING,
        }
        for row in self.section("agreements"):
            place = self.place_of(row["id"])
            in_force = row.get("status") == "in_force"
            options = row.get("legal_basis_options") or []
            summary = _join(
                row.get("note"),
                f"Status in the report: {row['status']}." if not in_force else None,
                f"Legal basis options: {', '.join(options)}." if options else None,
                "In force by June 2019, the month of the report; its own start date is not"
                " given, so the register's start is the report's month."
                if in_force
                else None,
                "Whether it is legally binding is not given."
                if "legally_binding" not in row
                else None,
            )
            self.ensure(
                Agreement,
                {"title": row["name"], **self.key_scope(place)},
                {
                    "title": row["name"],
                    "kind": kinds.get(row["kind"], Agreement.Kind.OTHER),
                    "status": Agreement.Status.IN_FORCE if in_force else Agreement.Status.DRAFT,
                    "start": datetime.date(2019, 6, 1) if in_force else None,
                    "legal_force": bool(row.get("legally_binding", False)),
                    "summary": summary,
                    **self.scope(place),
                },
                yaml_id=row["id"],
            )

    def partnerships(self) -> None:
        for row in self.section("partnerships"):
            place = self.place_of(row["id"])
            aims = row.get("aims") or []
            self.ensure(
                Partnership,
                {"name": row["name"], **self.key_scope(place)},
                {
                    "name": row["name"],
                    "also_known_as": "; ".join(row.get("working_names") or []),
                    "shadow": row.get("form") in {"shadow", "interim"},
                    "established": _date(row.get("shadow_since_date")),
                    "aims": _join(
                        *(f"- {aim}" for aim in aims),
                        f"Focus: {row['focus']}." if row.get("focus") else None,
                        row.get("note"),
                    ),
                    **self.scope(place),
                },
                yaml_id=row["id"],
            )

    def organisations_of(self, row: dict) -> list[Organisation]:
        names = row.get("organisations") or (
            [row["organisation"]] if row.get("organisation") else []
        )
        return [self.ids[name] for name in names]

    def posts(self) -> None:
        for row in self.section("posts"):
            place = self.place_of(row["id"])
            organisations = self.organisations_of(row)
            self.ensure(
                Post,
                {"title": row["title"], **self.key_scope(place)},
                {
                    "title": row["title"],
                    "employer": organisations[0] if len(organisations) == 1 else None,
                    "organisations": organisations,
                    "funded_by": "NHS-funded" if row.get("funding") == "nhs" else "",
                    "description": _join(
                        f"{row['count']} posts." if row.get("count") else None,
                        "A joint post." if row.get("joint") else None,
                        row.get("note"),
                    ),
                    **self.scope(place),
                },
                yaml_id=row["id"],
            )

    def bodies(self) -> None:
        for row in self.section("bodies"):
            place = self.place_of(row["id"])
            organisation = self.ids.get(row.get("organisation"))
            partnership = self.ids.get(row.get("partnership"))
            self.ensure(
                Body,
                {"name": row["name"], **self.key_scope(place)},
                {
                    "name": row["name"],
                    "kind": _BODY_KINDS.get(row["kind"], Body.Kind.OTHER),
                    "organisation": organisation,
                    "partnership": partnership,
                    "interim": row.get("status") in {"interim", "shadow"},
                    "cadence": row.get("meeting_frequency") or "",
                    "terms_of_reference": _join(row.get("purpose"), row.get("note")),
                    **self.scope(place),
                },
                yaml_id=row["id"],
            )

    def memberships(self) -> None:
        levels = {"associate_partner": Membership.Level.ASSOCIATE}
        for row in self.section("memberships"):
            if not row.get("organisation"):
                continue  # a sector: see NOT_LOADED
            partnership = self.ids[row["partnership"]]
            organisation = self.ids[row["organisation"]]
            self.ensure(
                Membership,
                {"partnership": partnership, "organisation": organisation, "end__isnull": True},
                {
                    "partnership": partnership,
                    "organisation": organisation,
                    "level": levels.get(row["role"], Membership.Level.FULL),
                    "agreement": self.ids.get(row.get("agreement")),
                    "notes": _join(
                        f"Status: {row['status']}." if row.get("status") else None,
                        f"Represented by: {row['represented_by']}."
                        if row.get("represented_by")
                        else None,
                        f"Basis: {row['basis']}" if row.get("basis") else None,
                        row.get("note"),
                    ),
                },
                yaml_id=row["id"],
            )

    def nominations(self) -> None:
        for row in self.section("nominations"):
            partnership = self.ids[row["partnership"]]
            organisation = self.ids[row["organisation"]]
            self.ensure(
                Nomination,
                {
                    "partnership": partnership,
                    "organisation": organisation,
                    "role": row["role"],
                    "end__isnull": True,
                },
                {
                    "partnership": partnership,
                    "organisation": organisation,
                    "role": row["role"],
                    "post": self.ids[row["post"]],
                    "authority": "The post holder or their nominee."
                    if row.get("or_nominee")
                    else "",
                },
                yaml_id=row["id"],
            )

    def body_memberships(self) -> None:
        roles = {"attendee": "attendee", "extended_network": "extended_network"}
        for row in self.section("body_memberships"):
            body = self.ids[row["body"]]
            notes = _join(
                f"Represented by: {row['represented_by']}." if row.get("represented_by") else None,
                f"{row['count']} seats." if row.get("count") else None,
            )
            seats: list[tuple[Organisation | None, Post | None]] = []
            if row.get("partnership"):  # the partnership's members, one seat each
                partnership = self.ids[row["partnership"]]
                seats = [(m.organisation, None) for m in partnership.memberships.all()]
            elif row.get("organisation") or row.get("post"):
                seats = [(self.ids.get(row.get("organisation")), self.ids.get(row.get("post")))]
            for organisation, post in seats:  # a sector alone: see NOT_LOADED
                role = roles.get(row["role"], BodyMembership.Role.MEMBER)
                self.ensure(
                    BodyMembership,
                    {"body": body, "organisation": organisation, "post": post, "role": role},
                    {
                        "body": body,
                        "organisation": organisation,
                        "post": post,
                        "role": role,
                        "notes": notes,
                    },
                )

    def reporting_lines(self) -> None:
        kinds = {
            "accountable_to": ReportingLine.Kind.ACCOUNTABLE_TO,
            "reports_to": ReportingLine.Kind.REPORTS_TO,
            "links_to": ReportingLine.Kind.REPORTS_TO,
        }
        for row in self.section("reporting_lines"):
            notes = []
            if row.get("from_body"):
                source = self.ids[row["from_body"]]
            else:  # a partnership reports through its leaders' group
                source = Body.objects.get(
                    partnership=self.ids[row["from_partnership"]], kind=Body.Kind.SYSTEM_LEADERS
                )
                notes.append(
                    "The report has the partnership report; its leaders' group is the"
                    " register's body for it."
                )
            if row.get("to_body"):
                target = self.ids[row["to_body"]]
            else:  # to a council's members: its full council
                target = Body.objects.get(
                    organisation=self.ids[row["to_organisation"]], kind=Body.Kind.FULL_COUNCIL
                )
                notes.append(
                    "The report has it report to the council's members: its full"
                    " council is the register's body for them."
                )
            if row["kind"] == "links_to":
                notes.append("The report says it links to the board.")
            if row.get("status") == "planned":
                notes.append("Planned.")
            if row.get("topics"):
                notes.append(f"On {', '.join(row['topics'])}.")
            kind = kinds[row["kind"]]
            self.ensure(
                ReportingLine,
                {"source": source, "kind": kind, "target": target, "end__isnull": True},
                {"source": source, "kind": kind, "target": target, "notes": " ".join(notes)},
                yaml_id=row["id"],
            )

    def post_holdings(self) -> None:
        for row in self.section("post_holdings"):
            post = self.ids[row["post"]]
            holder_post = self.ids[row["holder_post"]]
            secondment = row["arrangement"] == "secondment"
            kind = PostHolding.Kind.SECONDMENT if secondment else PostHolding.Kind.ACTING
            self.ensure(
                PostHolding,
                {"post": post, "kind": kind, "end__isnull": True},
                {
                    "post": post,
                    "holder": f"The {holder_post.title} (not named in the report)",
                    "kind": kind,
                    "seconded_from": holder_post.employer if secondment else None,
                    "substantive_post": holder_post if secondment else None,
                    "notes": _join(
                        None if secondment else "Backfill, recorded as acting.", row.get("note")
                    ),
                },
                yaml_id=row["id"],
            )

    def functions(self) -> None:
        for row in self.section("functions"):
            place = self.place_of(row["id"])
            code = row["id"].removeprefix("fn_")
            self.ensure(
                Function,
                {"code": code, "icb_code": ICB},
                {
                    "code": code,
                    "name": row["name"],
                    "description": _join(
                        f"Allocation function: {row['allocation_function']}."
                        if row.get("allocation_function")
                        else None,
                        f"Needs first: {', '.join(row['prerequisites'])}."
                        if row.get("prerequisites")
                        else None,
                        row.get("note"),
                    ),
                    **self.scope(place),
                },
                yaml_id=row["id"],
            )

    def delegations(self) -> None:
        for row in self.section("delegations"):
            where = row["place"] if row.get("place") else row["from_organisation"]
            place = self.place_of(where)
            function = self.ids[row["function"]]
            delegator = self.ids[row["from_organisation"]]
            consulted = self.ids.get(row.get("in_consultation_with_post"))
            delegation = self.ensure(
                Delegation,
                {"place_id": place, "function": function, "delegator": delegator},
                {
                    "function": function,
                    "delegator": delegator,
                    "delegate_post": self.ids[row["to_post"]],
                    "via_body": self.ids.get(row.get("discharged_through_body")),
                    "phase": row.get("phase"),
                    "target_date": _date(row.get("target_date")),
                    "notes": _join(
                        f"Delegated by {self.ids[row['from_body']]}."
                        if row.get("from_body")
                        else None,
                        f"In consultation with the {consulted}." if consulted else None,
                        f"Target {row['target_date']}{_month_note(row.get('target_date'))}."
                        if row.get("target_date")
                        else None,
                        row.get("sequencing"),
                        row.get("note"),
                    ),
                    "place": self.place(place),
                },
                yaml_id=row["id"],
            )
            for step in row.get("transitions") or []:
                self.transition(delegation, step)

    def transition(self, delegation: Delegation, step: dict) -> None:
        """A recorded transition after the first (a delegation is created proposed: that step is
        its creation, and its decision links to it in :meth:`decisions`)."""
        if step["status"] == "proposed" and not delegation.transitions.exists():
            return
        decision_row = self.records[step["decision"]]
        on = _date(step["date"])
        if delegation.transitions.filter(to_status=step["status"], on=on).exists():
            self.summary.found["DelegationTransition"] += 1
            return
        actions.transition_delegation(
            delegation,
            step["status"],
            by=self.by,
            decision_date=on,
            maker_body=self.ids[decision_row["body"]],
            reasons=_join(decision_row.get("summary")),
        )
        self.summary.created["DelegationTransition"] += 1

    def readiness(self) -> None:
        spec = self.framework_data
        levels = [
            {
                "code": level["id"],
                "name": level["label"],
                "description": _join(level["description"]),
            }
            for level in sorted(spec["levels"], key=lambda level: level["rank"])
        ]
        criteria = [
            {
                "code": c["id"],
                "name": c["label"],
                "description": _join(
                    c.get("description"),
                    *(f"{name.capitalize()}: {text}" for name, text in c["levels"].items()),
                ),
            }
            for c in spec["criteria"]
        ]
        for row in self.section("readiness_frameworks"):
            framework = self.ensure(
                ReadinessFramework,
                {"name": spec["name"], "icb_code": ICB},
                {
                    "name": spec["name"],
                    "levels": levels,
                    "criteria": criteria,
                    "description": _join(
                        f"Stands in for the {row['name']}, which is not published.",
                        row.get("note"),
                        f"Minimum level to delegate: {spec.get('minimum_level_to_delegate')}.",
                    ),
                    "icb_code": ICB,
                },
                yaml_id=row["id"],
            )
        for row in self.section("readiness_assessments"):
            framework = self.ids[row["framework"]]
            place = self.place(self.place_of(row["place"]))
            function = self.ids[row["function"]]
            on = _date(row["assessed_date"])
            flag = f"{ILLUSTRATIVE}: " if row.get("illustrative") else ""
            self.ensure(
                ReadinessAssessment,
                {"framework": framework, "place": place, "function": function, "assessed_on": on},
                {
                    "framework": framework,
                    "place": place,
                    "function": function,
                    "assessed_on": on,
                    "level": row["overall_level"],
                    "criteria": dict(row.get("criteria") or {}),
                    "evidence": f"{flag}{_join(row['evidence'])}",
                    "notes": _join(
                        f"{flag}A {row.get('status', '')} assessment by"
                        f" {row.get('assessed_by', 'unnamed assessors')}.",
                        row.get("note"),
                    ),
                },
                yaml_id=row["id"],
            )

    def risks(self) -> None:
        spec = self.matrix_data
        appetites = {level["id"]: level["max_score"] for level in spec["appetite_levels"]}
        matrix = self.ensure(
            RiskMatrix,
            {"name": MATRIX_NAME, "icb_code": ICB},
            {"name": MATRIX_NAME, "icb_code": ICB},  # scales and bands: the policies default
        )
        categories = {}
        for row in spec["categories"]:
            categories[row["id"]] = self.ensure(
                RiskCategory,
                {"matrix": matrix, "code": row["id"]},
                {
                    "matrix": matrix,
                    "code": row["id"],
                    "name": row["label"],
                    "appetite": appetites[row["appetite"]],
                    "description": _join(
                        row.get("description"),
                        f"Appetite: {row['appetite']} (at most {appetites[row['appetite']]}).",
                        row.get("rationale"),
                    ),
                },
            )
        for number, row in enumerate(self.section("risks"), start=1):
            scores = row.get("scores")
            if not scores:
                continue  # no scores: see NOT_LOADED
            place = "QE1-LAN" if row.get("deal") else self.place_of(row["id"])
            reference = f"LAN-R{number:02d}"
            likelihood, impact = scores["likelihood"], scores["impact"]
            flag = f"{ILLUSTRATIVE} scores: " if scores.get("illustrative") else "Scores: "
            self.ensure(
                Risk,
                {"reference": reference, "icb_code": ICB},
                {
                    "reference": reference,
                    "title": row["title"],
                    "description": _join(
                        row.get("description"),
                        f"{flag}likelihood {likelihood}, impact {impact} (the report gives none;"
                        " inherent, current and target are all set to them).",
                    ),
                    "category": categories[row["category"]],
                    **{
                        f"{stage}_{scale}": value
                        for stage in ("inherent", "current", "target")
                        for scale, value in (("likelihood", likelihood), ("impact", impact))
                    },
                    "actions": "Mitigation plans in development."
                    if row.get("mitigation_status") == "in_development"
                    else "",
                    **self.scope(place),
                },
                yaml_id=row["id"],
            )

    def services(self) -> None:
        for row in self.section("services"):
            if not row.get("organisation"):
                continue  # no provider: see NOT_LOADED
            provider = self.ids[row["organisation"]]
            place = self.place_of(row["id"])
            area = self.records[row["service_area"]]["name"] if row.get("service_area") else ""
            partners = [self.ids[p] for p in row.get("partners") or [] if self.ids[p] != provider]
            self.ensure(
                Service,
                {"name": row["name"], "provider": provider},
                {
                    "name": row["name"],
                    "area": area,
                    "provider": provider,
                    "partners": partners,
                    "status": Service.Status.PLANNED
                    if row.get("status") == "planned"
                    else Service.Status.RUNNING,
                    "description": _join(
                        f"Includes {', '.join(row['includes'])}." if row.get("includes") else None,
                        "Co-located." if row.get("co_located") else None,
                        row.get("note"),
                    ),
                    **self.scope(place),
                },
                yaml_id=row["id"],
            )

    def neighbourhood_teams(self) -> None:
        for row in self.section("neighbourhood_teams"):
            neighbourhood = self.records[row["neighbourhood"]]
            code = neighbourhood["geography_code"]
            place = _ORGANISATION_PLACES[neighbourhood["council"]]
            team = self.ensure(
                NeighbourhoodTeam,
                {"neighbourhood": code, "place_id": place},
                {
                    "name": f"{neighbourhood['name']} expanded multidisciplinary team",
                    "neighbourhood": code,
                    "description": _join(
                        f"Serves {neighbourhood['population_min']:,} to"
                        f" {neighbourhood['population_max']:,} people:"
                        f" {neighbourhood.get('population_note', '')}"
                    ),
                    "place": self.place(place),
                },
                yaml_id=row["id"],
            )
            for role in row.get("roles") or []:
                self.ensure(TeamRole, {"team": team, "role": role}, {"team": team, "role": role})

    def workstreams(self) -> None:
        statuses = {
            "active": Workstream.Status.ACTIVE,
            "started": Workstream.Status.ACTIVE,
            "in_development": Workstream.Status.ACTIVE,
        }
        deal_names = {row["id"]: row["name"] for row in self.section("deals")}
        for row in self.section("workstreams"):
            place = self.place_of(row["partnership"]) if row.get("partnership") else "QE1-LAN"
            self.ensure(
                Workstream,
                {"name": row["name"], **self.key_scope(place)},
                {
                    "name": row["name"],
                    "partnership": self.ids.get(row.get("partnership")),
                    "status": statuses.get(row.get("status"), Workstream.Status.ACTIVE),
                    "started": _date(row.get("start_date")),
                    "purpose": _join(
                        f"Part of the {deal_names[row['deal']]}." if row.get("deal") else None,
                        f"Status in the report: {row['status']}."
                        if row.get("status") not in {None, "active"}
                        else None,
                        f"Started {row['start_date']}{_month_note(row.get('start_date'))}."
                        if row.get("start_date")
                        else None,
                    ),
                    **self.scope(place),
                },
                yaml_id=row["id"],
            )
        for row in self.section("milestones"):
            workstream = self.milestone_workstream(row, deal_names)
            status = _MILESTONE_STATUS.get(row.get("status"), Milestone.Status.NOT_STARTED)
            self.ensure(
                Milestone,
                {"workstream": workstream, "title": row["title"]},
                {
                    "workstream": workstream,
                    "title": row["title"],
                    "due_on": _date(row.get("target_date")),
                    "status": status,
                    "notes": _join(
                        f"Status in the report: {row.get('status')}.",
                        f"Due {row['target_date']}{_month_note(row.get('target_date'))}."
                        if row.get("target_date")
                        else None,
                    ),
                },
                yaml_id=row["id"],
            )

    def milestone_workstream(self, row: dict, deal_names: dict) -> Workstream:
        """A milestone belongs to a workstream: a partnership's go to its Governance workstream,
        a deal's to a workstream for the deal's delegations (placeworks adds it)."""
        if row.get("workstream"):
            return self.ids[row["workstream"]]
        if row.get("partnership"):
            return Workstream.objects.get(
                partnership=self.ids[row["partnership"]], name="Governance"
            )
        name = f"{deal_names[row['deal']]}: phased delegation"
        return self.ensure(
            Workstream,
            {"name": name, "place_id": "QE1-LAN"},
            {
                "name": name,
                "status": Workstream.Status.ACTIVE,
                "purpose": "Added by placeworks so the deal's milestones have a workstream.",
                "place": self.place("QE1-LAN"),
            },
        )

    def decisions(self) -> None:
        delegations_by_decision: dict[str, list[Delegation]] = {}
        for row in self.section("delegations"):
            for step in row.get("transitions") or []:
                if step["status"] == "proposed":
                    delegations_by_decision.setdefault(step["decision"], []).append(
                        self.ids[row["id"]]
                    )
        memberships = {
            decision: [
                row for row in self.section("memberships") if decision in row.get("decisions", [])
            ]
            for decision in self.records
        }
        for row in self.section("decisions"):
            body = self.ids[row["body"]]
            on = _date(row["date"])
            related = memberships.get(row["id"], [])
            outcome = _join(
                row["summary"],
                *(f"- {ask}" for ask in row.get("asks") or []),
                "The outcome is not in the report."
                if row.get("outcome") == "not_in_report"
                else None,
            )
            self.ensure(
                Decision,
                {"maker_body": body, "made_on": on, "title": _join(row["summary"])[:300]},
                {
                    "kind": Decision.Kind.DECISION,
                    "status": Decision.Status.DONE,
                    "made_on": on,
                    "maker_body": body,
                    "title": _join(row["summary"])[:300],
                    "outcome": outcome,
                    "reasons": _join(
                        "Received and noted." if row["kind"] == "noting" else None,
                        row.get("note") or "As the report sets out.",
                        f"Date{_month_note(row['date'])}." if _month_note(row["date"]) else None,
                    ),
                    "delegations": delegations_by_decision.get(row["id"], []),
                    "partnerships": sorted(
                        {self.ids[m["partnership"]] for m in related}, key=lambda p: p.pk
                    ),
                    "organisations": sorted(
                        {self.ids[m["organisation"]] for m in related}, key=lambda o: o.pk
                    ),
                    **self.scope(body.place_id),
                },
                yaml_id=row["id"],
            )

    def consultations(self) -> None:
        deal_names = {row["id"]: row["name"] for row in self.section("deals")}
        for row in self.section("consultations"):
            deal = deal_names[row["deal"]]
            if row.get("consultee_body"):
                body = self.ids[row["consultee_body"]]
            else:  # the report names no body for the workshop: placeworks adds one
                body = self.ensure(
                    Body,
                    {"name": f"{deal} workshop", "place_id": "QE1-LAN"},
                    {
                        "name": f"{deal} workshop",
                        "kind": Body.Kind.OTHER,
                        "terms_of_reference": "Added by placeworks: the report names a"
                        " workshop, not who takes part.",
                        "place": self.place("QE1-LAN"),
                    },
                )
            on = _date(row.get("date")) or datetime.date(2023, 7, 6)
            title = f"{deal}: {row['form'].replace('_', ' ')} ({body})"
            self.ensure(
                Decision,
                {"kind": Decision.Kind.CONSULTATION, "maker_body": body, "title": title},
                {
                    "kind": Decision.Kind.CONSULTATION,
                    "status": _CONSULTATION_STATUS[row["status"]],
                    "made_on": on,
                    "maker_body": body,
                    "title": title,
                    "outcome": _join(
                        f"{row['form'].replace('_', ' ').capitalize()}, {row['status']}.",
                        None
                        if row.get("date")
                        else "No date in the report: ongoing at the"
                        " report's date (6 July 2023), which is the date recorded.",
                    ),
                    "organisations": [self.ids[o] for o in row.get("consultees") or []],
                    **self.scope(body.place_id),
                },
                yaml_id=row["id"],
            )
