"""The deal register: who has delegated what to whom, under which agreement, how ready each place
is, what each partner pays into a pooled fund, which risks are rising and what was decided when.

A Django app (label ``governance``). Its pure parts (the delegation lifecycle, risk matrices,
readiness frameworks, financial years and fund totals) import no Django and are unit-tested on
their own; the models, the scope (:mod:`placeworks.governance.scope`) and the atomic actions
(:mod:`placeworks.governance.actions`) build on them. See ADR 7.
"""
