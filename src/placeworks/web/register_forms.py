"""The form of any register's record, made from its model's fields and the register's list.

Labels, help, choices and required fields come from the model; every choice of a linked record
is read through the scope, so a user is offered only records of this place or its whole ICB
that they may see. A record of the whole ICB can be made from a place's pages by an ICB-wide
editor. Editing carries the version the form was opened on, for the conflict check.
"""

from __future__ import annotations

import json

from django import forms
from django.db import models

from placeworks.governance.models import Place, Scoped
from placeworks.governance.scope import can_edit
from placeworks.web.deal_forms import DATE_FORMATS, DateInput, RegisterForm, of_place
from placeworks.web.registers import LINE_LISTS, Register

WHOLE_ICB = "icb"
THIS_PLACE = "place"


class LinesField(forms.CharField):
    """A list of short texts, typed one a line (kept as a JSON list)."""

    widget = forms.Textarea

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(str(item) for item in value)
        return value

    def to_python(self, value):
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]


class JSONTextField(forms.JSONField):
    """Structured data (a framework's levels, a matrix's bands) as indented JSON text; the
    model's own validation explains what shape it needs."""

    def prepare_value(self, value):
        if isinstance(value, str):
            return value
        return json.dumps(value, indent=2, ensure_ascii=False)


class RecordForm(RegisterForm):
    """Base of the forms made by :func:`form_class`: ``values()`` gives the action's keyword
    arguments; ``version`` (editing) and ``belongs_to`` (creating) are the page's own."""

    register: Register

    def __init__(self, *args, user, place: Place, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        model = self.register.model
        for name, bound in self.fields.items():
            if isinstance(bound, forms.ModelChoiceField):
                target = model._meta.get_field(name).related_model
                bound.queryset = of_place(user, target, place)
        if editing:
            for name in [*sorted(model.locked_fields), self.register.parent]:
                self.fields.pop(name, None)
        else:
            del self.fields["version"]
            if self._offers_whole_icb(user, place):
                self.fields["belongs_to"] = forms.ChoiceField(
                    choices=[
                        (THIS_PLACE, f"{place.name} only"),
                        (WHOLE_ICB, f"The whole ICB ({place.icb_code})"),
                    ],
                    initial=THIS_PLACE,
                    label="Belongs to",
                    widget=forms.RadioSelect,
                )
        self.name_required_fields()

    def _offers_whole_icb(self, user, place: Place) -> bool:
        model = self.register.model
        if self.register.parent or self.register.place_required or not issubclass(model, Scoped):
            return False
        probe = model(icb_code=place.icb_code)
        return can_edit(user, probe)

    def values(self) -> dict:
        """The record's fields as the actions take them (blank texts as empty strings)."""
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data.pop("belongs_to", None)
        for name, value in data.items():
            if value is None and isinstance(self.fields[name], forms.CharField):
                data[name] = ""
        return data

    def whole_icb(self) -> bool:
        return self.cleaned_data.get("belongs_to") == WHOLE_ICB


def _formfield(model: type[models.Model], name: str) -> forms.Field:
    field = model._meta.get_field(name)
    label = _capital(field.verbose_name)
    if (model, name) in LINE_LISTS:
        made = LinesField(required=not field.blank, help_text=field.help_text or "One a line.")
    elif isinstance(field, models.JSONField):
        made = JSONTextField(
            required=not field.blank,
            help_text=field.help_text or "In JSON.",
            widget=forms.Textarea,
        )
    elif isinstance(field, models.DateField):
        made = forms.DateField(
            required=not field.blank,
            help_text=field.help_text,
            input_formats=DATE_FORMATS,
            widget=DateInput(),
        )
    else:
        made = field.formfield()
        if isinstance(field, models.ManyToManyField):
            made.widget = forms.CheckboxSelectMultiple()
    optional = not made.required and not isinstance(made, forms.BooleanField)
    made.label = f"{label} (optional)" if optional else label
    return made


def form_class(register: Register) -> type[RegisterForm]:
    """The form of ``register``'s records: its own, or one made from its model."""
    if register.form_class is not None:
        return register.form_class
    fields = {name: _formfield(register.model, name) for name in register.form}
    fields["version"] = forms.IntegerField(widget=forms.HiddenInput, required=False)
    return type(f"{register.model.__name__}Form", (RecordForm,), {"register": register, **fields})


def initial_values(record: models.Model) -> dict:
    """What an edit form starts with: the record's stored values, and its version."""
    initial = {"version": record.version}
    for field in record._meta.concrete_fields:
        initial[field.name] = getattr(record, field.attname)
    for field in record._meta.many_to_many:
        initial[field.name] = list(getattr(record, field.name).all())
    return initial


def _capital(text) -> str:
    text = str(text)
    return text[:1].upper() + text[1:]
