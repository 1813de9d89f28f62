"""Every register's pages for a place: list (search, filters, sort, pages), a record with its
linked records and history, create, edit, and CSV and Excel exports.

A place's register holds the records of that place and those of its whole ICB. Every read goes
through ``governance.scope.visible`` and every write through an action, which checks the user's
role again; a viewer sees no edit links and their POSTs are refused (403).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.timezone import localdate
from django.views.decorators.http import require_http_methods

from placeworks.governance import actions
from placeworks.governance.models import Decision, Place, PooledFund, Risk
from placeworks.governance.scope import (
    can_edit,
    can_view,
    require_edit,
    require_place_view,
    visible,
)
from placeworks.web import register_export
from placeworks.web.deal_forms import of_place
from placeworks.web.deal_presenters import FundSummary, heat_maps
from placeworks.web.register_forms import form_class, initial_values
from placeworks.web.register_presenters import (
    ChildTable,
    ListPage,
    ListQuery,
    RecordPage,
    Row,
    display,
    export_table,
    history_entries,
    linked_ids,
)
from placeworks.web.registers import REGISTERS, Register, register_of

PER_PAGE = 25
EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def open_place(request: HttpRequest, code: str) -> Place:
    """The place whose register a page shows, if the user may see its records: 404 if there is
    no such place, 403 if they have no role for it or across its ICB. The one read of the
    register that is not through ``visible``: it must tell 404 from 403."""
    place = Place.objects.filter(code=code.upper()).first()
    if place is None:
        raise Http404(f"There is no place with the code {code} in the register.")
    return require_place_view(request.user, place)


def _register(slug: str) -> Register:
    try:
        return REGISTERS[slug]
    except KeyError:
        raise Http404(f"There is no register called {slug}.") from None


def can_add(user, register: Register, place: Place) -> bool:
    """Whether ``user`` may add records to ``register`` at ``place``."""
    return can_edit(user, register.model(place=place, icb_code=place.icb_code))


def record_url(register: Register, place: Place, pk: int) -> str:
    name = register.detail_url or "register_detail"
    kwargs = {"code": place.code, "pk": pk}
    if not register.detail_url:
        kwargs["slug"] = register.slug
    return reverse(name, kwargs=kwargs)


def _listed(request: HttpRequest, register: Register, place: Place, query: ListQuery):
    linked = [
        name
        for name in ("place", *register.columns)
        if name not in register.computed and register.model._meta.get_field(name).many_to_one
    ]
    records = of_place(request.user, register.model, place).select_related(*linked)
    if query.q:
        terms = Q()
        for name in register.search:
            terms |= Q(**{f"{name}__icontains": query.q})
        records = records.filter(terms)
    for name, value in query.filters.items():
        if name == "scope":
            records = records.filter(place__isnull=value == "icb")
        else:
            field = register.model._meta.get_field(name)
            if isinstance(field, models.BooleanField):
                records = records.filter(**{name: value == "yes"})
            else:
                records = records.filter(**{name: value})
    if query.sort:
        ordering = register.model._meta.ordering or ("pk",)
        records = records.order_by(query.sort, *ordering, "pk")
    return records


def _filter_choices(request, register: Register, place: Place, records) -> dict:
    """Each filter's options: choices, yes or no, the linked records in this register, or the
    values the records hold."""
    found: dict[str, list[tuple[str, str]]] = {}
    for name in register.filters:
        field = register.model._meta.get_field(name)
        if field.choices:
            found[name] = [(str(v), str(t)) for v, t in field.flatchoices]
        elif isinstance(field, models.BooleanField):
            found[name] = [("yes", "Yes"), ("no", "No")]
        elif field.is_relation:
            linked = of_place(request.user, field.related_model, place)
            found[name] = [(str(r.pk), str(r)) for r in linked]
        else:
            values = records.order_by().values_list(name, flat=True).distinct()
            found[name] = [(str(v), str(v)) for v in sorted(v for v in values if v is not None)]
    if not register.parent and not register.place_required:
        found["scope"] = [
            ("place", f"{place.name} only"),
            ("icb", f"The whole ICB ({place.icb_code})"),
        ]
    return found


@login_required
def register_list(request: HttpRequest, code: str, slug: str) -> HttpResponse:
    found = open_place(request, code)
    register = _register(slug)
    query = ListQuery.parse(register, request.GET)
    records = _listed(request, register, found, query)
    paginator = Paginator(records, PER_PAGE)
    page = paginator.get_page(query.page)
    listed = ListPage.build(
        register,
        list(page.object_list),
        query=query,
        total=paginator.count,
        page=page.number,
        pages=paginator.num_pages,
        first=page.start_index(),
        filter_choices=_filter_choices(
            request, register, found, of_place(request.user, register.model, found)
        ),
        url_of=lambda r: record_url(register, found, r.pk),
        export_url=lambda kind: reverse(
            "register_export", kwargs={"code": found.code, "slug": slug, "kind": kind}
        ),
    )
    context = {
        "place": found,
        "register": register,
        "page": listed,
        "can_create": can_add(request.user, register, found),
        "heat_maps": heat_maps(list(records.select_related("category__matrix")))
        if register.model is Risk
        else (),
    }
    return render(request, "deal/register_list.jinja", context)


@login_required
def register_export_view(request: HttpRequest, code: str, slug: str, kind: str) -> HttpResponse:
    found = open_place(request, code)
    register = _register(slug)
    if kind not in EXPORT_TYPES:
        raise Http404(f"Exports are CSV or Excel (xlsx), not {kind}.")
    query = ListQuery.parse(register, request.GET)
    records = _listed(request, register, found, query)
    table = export_table(register, records)
    name = f"{found.code}-{slug}-{localdate():%Y-%m-%d}.{kind}"
    if kind == "csv":
        body = register_export.to_csv(table.headings, table.rows)
    else:
        note = (
            f"{register.title} of {found.name} and the whole ICB ({found.icb_code}), as"
            f" {request.user.get_username()} may see them on {localdate():%d %B %Y}"
            f" ({len(table.rows)} records)."
        )
        body = register_export.to_xlsx(
            register.title, table.headings, table.rows, note=note, money=table.money
        )
    response = HttpResponse(body, content_type=EXPORT_TYPES[kind])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def get_record(request: HttpRequest, register: Register, place: Place, pk: int):
    record = of_place(request.user, register.model, place).filter(pk=pk).first()
    if record is None:
        raise Http404(f"The {register.title.lower()} of {place.name} have no record {pk}.")
    return record


def history_of(request: HttpRequest, record: models.Model):
    """A record's history as its page shows it, linked records named if the user may see them."""
    changes = actions.changes(record, by=request.user)
    names = {}
    for (model, key), ids in linked_ids(type(record), changes).items():
        try:
            seen = visible(request.user, model).filter(**{f"{key}__in": ids})
        except TypeError:  # not a register record (a user): name it by its string
            seen = model._default_manager.filter(**{f"{key}__in": ids})
        names.update({(model, getattr(r, key)): str(r) for r in seen})
    return history_entries(type(record), changes, names)


def _children(request: HttpRequest, register: Register, place: Place, record) -> list:
    tables = []
    may_add = can_edit(request.user, record)
    for slug in register.children:
        child = REGISTERS[slug]
        rows = visible(request.user, child.model).filter(**{child.parent: record})
        columns = [c for c in child.columns if c != child.parent]
        add = reverse("register_create", kwargs={"code": place.code, "slug": slug})
        tables.append(
            ChildTable(
                title=child.title,
                slug=slug,
                headings=tuple(child.field_label(c) for c in columns),
                rows=tuple(
                    Row(
                        record_url(child, place, r.pk),
                        tuple(display(r, c, child) for c in columns),
                    )
                    for r in rows
                ),
                add_url=f"{add}?{child.parent}={record.pk}" if may_add else None,
            )
        )
    return tables


def decisions_about(request: HttpRequest, place: Place, record) -> list[Row]:
    """The decisions that link to ``record``, newest first."""
    link = next(
        (f.name for f in Decision._meta.many_to_many if f.related_model is type(record)), None
    )
    if link is None:
        return []
    register = REGISTERS["decisions"]
    found = visible(request.user, Decision).filter(**{link: record}).order_by("-made_on", "-id")
    return [
        Row(
            record_url(register, place, d.pk),
            (display(d, "made_on"), d.title, str(d.maker_body or d.maker_post or "")),
        )
        for d in found
    ]


def _linked_url(request: HttpRequest, place: Place, linked: models.Model) -> str | None:
    """The page of a linked record in ``place``'s register, if it has one the user may see."""
    linked_register = register_of(type(linked))
    if linked_register is None:
        return None
    if linked.place_id not in (None, place.code) or not can_view(request.user, linked):
        return None
    return record_url(linked_register, place, linked.pk)


@login_required
def register_detail(request: HttpRequest, code: str, slug: str, pk: int) -> HttpResponse:
    found = open_place(request, code)
    register = _register(slug)
    record = get_record(request, register, found, pk)
    page = RecordPage.build(
        register,
        record,
        children=_children(request, register, found, record),
        decisions=decisions_about(request, found, record),
        history=history_of(request, record),
        edit_url=reverse("register_edit", kwargs={"code": found.code, "slug": slug, "pk": pk})
        if can_edit(request.user, record)
        else None,
        list_url=reverse("register_list", kwargs={"code": found.code, "slug": slug}),
        link=lambda linked: _linked_url(request, found, linked),
    )
    context = {"place": found, "register": register, "page": page, "fund": None}
    if isinstance(record, PooledFund):
        context["fund"] = FundSummary.of(
            record, actions.pooled_fund_totals(record, by=request.user)
        )
    return render(request, "deal/register_detail.jinja", context)


@login_required
@require_http_methods(["GET", "POST"])
def register_create(request: HttpRequest, code: str, slug: str) -> HttpResponse:
    found = open_place(request, code)
    register = _register(slug)
    if not can_add(request.user, register, found):
        raise PermissionDenied(
            f"{request.user.get_username()} cannot change the records of {found}, so cannot"
            f" add to its {register.title.lower()}: that needs an editor role for {found.code}"
            f" or an ICB-wide editor role for {found.icb_code}."
        )
    form_type = form_class(register)
    if request.method == "POST":
        form = form_type(request.POST, user=request.user, place=found)
        if form.is_valid():
            values = form.values()
            if not register.parent:
                whole_icb = getattr(form, "whole_icb", lambda: False)()
                values["place"] = None if whole_icb else found
                values["icb_code"] = found.icb_code
            try:
                created = actions.create(register.model, by=request.user, **values)
            except ValidationError as exc:
                form.add_domain_errors(exc)
            else:
                return redirect(record_url(register, found, created.pk))
    else:
        initial = {k: v for k, v in request.GET.items() if k in form_type.base_fields}
        form = form_type(initial=initial, user=request.user, place=found)
    context = {"place": found, "register": register, "form": form, "editing": None}
    return render(request, "deal/register_form.jinja", context | {"conflict": None})


@login_required
@require_http_methods(["GET", "POST"])
def register_edit(request: HttpRequest, code: str, slug: str, pk: int) -> HttpResponse:
    found = open_place(request, code)
    register = _register(slug)
    record = get_record(request, register, found, pk)
    require_edit(request.user, record)
    form_type = form_class(register)
    conflict = None
    if request.method == "POST":
        form = form_type(request.POST, user=request.user, place=found, editing=True)
        if form.is_valid():
            version = form.cleaned_data.get("version") or record.version
            try:
                actions.update(record, by=request.user, version=version, **form.values())
            except actions.EditConflict as exc:
                conflict = str(exc)
            except ValidationError as exc:
                form.add_domain_errors(exc)
            else:
                return redirect(record_url(register, found, pk))
    else:
        form = form_type(
            initial=initial_values(record),
            user=request.user,
            place=found,
            editing=True,
        )
        if hasattr(form, "initial_from"):  # fields made from a stored structure
            form.initial_from(record)
    context = {"place": found, "register": register, "form": form, "editing": record}
    return render(request, "deal/register_form.jinja", context | {"conflict": conflict})
