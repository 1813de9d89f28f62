"""The deal register's pages on a real database: sign-in, scope, forms and the place page."""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client
from tests.deal_data import PASSWORD

from placeworks.governance.models import Decision, Delegation, Risk

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def text(response) -> str:
    """The page's text, tags and runs of spaces removed."""
    plain = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(plain))


GOVERNANCE_PAGES = [
    "/place/QE1-LAN/",
    "/place/QE1-LAN/delegations/",
    "/place/QE1-LAN/delegations/new/",
    "/place/QE1-LAN/risks/",
    "/place/QE1-LAN/risks/new/",
]


@pytest.mark.parametrize("path", GOVERNANCE_PAGES)
def test_every_governance_page_needs_a_signed_in_user(client, deal, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/sign-in/?next={path}"


def test_a_delegations_pages_need_a_signed_in_user_too(client, deal):
    pk = deal.delegation.pk
    for suffix in ("", "edit/", "decision/"):
        path = f"/place/QE1-LAN/delegations/{pk}/{suffix}"
        assert client.get(path)["Location"].startswith("/accounts/sign-in/?next=")


def test_the_geography_pages_stay_public(client, fake_geography):
    assert client.get("/").status_code == 200
    response = client.get("/icb/QE1/")
    assert response.status_code == 200
    assert 'href="/place/QE1-LAN/"' in response.content.decode()


def test_signing_in_and_out_with_csrf(deal):
    client = Client(enforce_csrf_checks=True)
    page = client.get("/accounts/sign-in/?next=/place/QE1-LAN/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert token
    assert 'name="next" value="/place/QE1-LAN/"' in page.content.decode()
    refused = client.post("/accounts/sign-in/", {"username": "lancs-editor", "password": PASSWORD})
    assert refused.status_code == 403  # no CSRF token

    wrong = client.post(
        "/accounts/sign-in/",
        {"username": "lancs-editor", "password": "nope", "csrfmiddlewaretoken": token[1]},
    )
    assert wrong.status_code == 200
    assert "There is a problem" in text(wrong)
    assert "enter a correct username and password" in text(wrong)

    signed = client.post(
        "/accounts/sign-in/",
        {
            "username": "lancs-editor",
            "password": PASSWORD,
            "next": "/place/QE1-LAN/",
            "csrfmiddlewaretoken": token[1],
        },
    )
    assert signed["Location"] == "/place/QE1-LAN/"
    place = client.get("/place/QE1-LAN/")
    assert "Signed in as lancs-editor" in text(place)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', place.content.decode())[1]
    out = client.post("/accounts/sign-out/", {"csrfmiddlewaretoken": token})
    assert out.status_code == 302
    assert client.get("/place/QE1-LAN/").status_code == 302


def test_the_place_page_shows_the_deal_at_a_glance(deal):
    page = text(signed_in(deal.lancs_viewer).get("/place/QE1-LAN/"))
    assert "Lancashire: the deal at a glance" in page
    assert "Proposed 1 delegation" in page
    assert "Primary care" in page
    assert "Director of Health and Care Integration" in page
    # readiness: place by function, latest level
    assert "Better Care Fund" in page
    assert "Core (15 January 2024)" in page
    assert "Emerging (15 January 2024)" in page
    # pooled fund, exact
    assert "£126,234,567.90" in page
    assert "£101,234,567.89" in page
    # the heat map counts the risk at likelihood 4, impact 4, extreme band
    assert "Current risks by likelihood and impact (1 open risk)" in page
    assert "LAN-R01" in page
    assert "Pooled budget overspend" in page
    assert "31 March 2030" in page
    assert "No decisions are recorded for Lancashire" in page
    # a viewer gets no edit buttons
    assert "Propose a delegation" not in page


def test_the_heat_map_cell_holds_the_count_score_and_band(deal):
    html = signed_in(deal.lancs_viewer).get("/place/QE1-LAN/").content.decode()
    cell = re.search(
        r'data-likelihood="4" data-impact="4" data-count="(\d+)">(.*?)</td>', html, re.S
    )
    assert cell[1] == "1"
    assert "score 16 Extreme" in re.sub(r"\s+", " ", cell[2])


@pytest.mark.parametrize("who", ["outsider", "bpl_editor"])
def test_a_user_without_a_role_for_the_place_gets_403(deal, who):
    response = signed_in(getattr(deal, who)).get("/place/QE1-LAN/")
    assert response.status_code == 403
    page = text(response)
    assert "You cannot see or change this" in page
    assert "cannot see the records of Lancashire (QE1-LAN)" in page


def test_an_unknown_place_is_404(deal):
    assert signed_in(deal.lancs_editor).get("/place/QE1-XYZ/").status_code == 404


def test_a_viewer_sees_no_edit_buttons_and_cannot_post(deal):
    client = signed_in(deal.lancs_viewer)
    pk = deal.delegation.pk
    detail = text(client.get(f"/place/QE1-LAN/delegations/{pk}/"))
    assert "Record a decision" not in detail
    assert "Edit this delegation" not in detail
    assert "Add a risk" not in text(client.get("/place/QE1-LAN/risks/"))
    for path in ("delegations/new/", f"delegations/{pk}/edit/", f"delegations/{pk}/decision/"):
        assert client.get(f"/place/QE1-LAN/{path}").status_code == 403
    refused = client.post("/place/QE1-LAN/risks/new/", {"reference": "LAN-R99"})
    assert refused.status_code == 403
    assert "lancs-viewer cannot change" in text(refused)
    assert not Risk.objects.filter(reference="LAN-R99").exists()


def test_another_places_editor_cannot_edit_a_lancashire_record(deal):
    client = signed_in(deal.bpl_editor)
    pk = deal.delegation.pk
    response = client.post(f"/place/QE1-LAN/delegations/{pk}/edit/", {"version": "1"})
    assert response.status_code == 403
    assert Delegation.objects.get(pk=pk).version == deal.delegation.version


def delegation_form(deal, **changes) -> dict:
    values = {
        "function": deal.bcf.pk,
        "delegator": deal.icb.pk,
        "delegate_post": deal.director.pk,
        "delegate_body": "",
        "via_body": deal.place_board.pk,
        "legal_basis": "National Health Service Act 2006, s.65Z5",
        "instrument_reference": "Scheme of delegation, para 4.2",
        "financial_limit": "2500000.00",
        "phase": "2",
        "target_date": "2026-04-01",
        "notes": "",
    }
    values.update(changes)
    return values


def test_an_editor_proposes_a_delegation(deal):
    client = signed_in(deal.lancs_editor)
    response = client.post("/place/QE1-LAN/delegations/new/", delegation_form(deal))
    created = Delegation.objects.get(function=deal.bcf)
    assert response["Location"] == f"/place/QE1-LAN/delegations/{created.pk}/"
    assert created.status == "proposed"
    assert created.place_id == "QE1-LAN"
    page = text(client.get(response["Location"]))
    assert "Better Care Fund to Director of Health and Care Integration" in page
    assert "£2,500,000.00" in page


def test_a_delegation_form_names_what_is_wrong(deal):
    client = signed_in(deal.lancs_editor)
    both = client.post(
        "/place/QE1-LAN/delegations/new/",
        delegation_form(deal, delegate_body=deal.place_board.pk, phase="0", function=""),
    )
    page = text(both)
    assert "There is a problem" in page
    assert "Choose the function." in page
    assert "Ensure this value is greater than or equal to 1." in page
    again = client.post(
        "/place/QE1-LAN/delegations/new/", delegation_form(deal, function=deal.primary_care.pk)
    )
    assert "already has a delegation of this function from this delegator" in text(again)


def decision_form(deal, to_status, **changes) -> dict:
    values = {
        "to_status": to_status,
        "decision_date": "2024-02-01",
        "maker_body": deal.place_board.pk,
        "maker_post": "",
        "reasons": "The readiness assessment found the place ready.",
        "evidence": "Place Board paper 12",
        "version": str(Delegation.objects.get(pk=deal.delegation.pk).version),
    }
    values.update(changes)
    return values


def test_a_decision_offers_only_the_allowed_next_statuses(deal):
    client = signed_in(deal.lancs_editor)
    html = client.get(f"/place/QE1-LAN/delegations/{deal.delegation.pk}/decision/").content
    offered = re.findall(r'name="to_status" type="radio" value="([a-z_]+)"', html.decode())
    assert offered == ["readiness_assessed", "revoked"]


def test_an_illegal_status_posted_anyway_is_refused_with_the_lifecycle_message(deal):
    client = signed_in(deal.lancs_editor)
    path = f"/place/QE1-LAN/delegations/{deal.delegation.pk}/decision/"
    response = client.post(path, decision_form(deal, "approved"))
    assert response.status_code == 200
    assert "cannot go from 'proposed' to 'approved'" in text(response)
    assert Delegation.objects.get(pk=deal.delegation.pk).status == "proposed"


def test_a_decision_moves_the_delegation_and_shows_in_its_history(deal):
    client = signed_in(deal.lancs_editor)
    pk = deal.delegation.pk
    path = f"/place/QE1-LAN/delegations/{pk}/decision/"
    done = client.post(path, decision_form(deal, "readiness_assessed"))
    assert done["Location"] == f"/place/QE1-LAN/delegations/{pk}/"
    page = text(client.get(done["Location"]))
    assert "Proposed to readiness assessed" in page
    assert "1 February 2024" in page
    assert "Lancashire Place Board" in page
    assert "The readiness assessment found the place ready." in page
    assert "Place Board paper 12" in page
    assert Decision.objects.filter(delegations=pk).count() == 1
    glance = text(client.get("/place/QE1-LAN/"))
    assert "Readiness assessed 1 delegation" in glance
    assert "Primary care, Lancashire: proposed to readiness assessed" in glance


def test_a_decision_with_no_maker_or_a_date_out_of_order_is_refused(deal):
    client = signed_in(deal.lancs_editor)
    path = f"/place/QE1-LAN/delegations/{deal.delegation.pk}/decision/"
    page = text(client.post(path, decision_form(deal, "readiness_assessed", maker_body="")))
    assert "Choose the one body or one post that decided." in page
    early = text(
        client.post(path, decision_form(deal, "readiness_assessed", decision_date="2023-01-01"))
    )
    assert "has no readiness assessment for Primary care on or before 1 January 2023" in early


def test_a_second_save_of_the_same_version_is_refused_and_keeps_the_input(deal):
    first, second = signed_in(deal.lancs_editor), signed_in(deal.lancs_editor)
    pk = deal.delegation.pk
    path = f"/place/QE1-LAN/delegations/{pk}/edit/"
    assert 'name="version" id="id_version" value="1"' in first.get(path).content.decode()
    base = {
        "delegate_post": deal.director.pk,
        "via_body": deal.place_board.pk,
        "phase": "1",
        "target_date": "2025-04-01",
        "version": "1",
    }
    saved = first.post(path, {**base, "legal_basis": "Section 65Z5"})
    assert saved.status_code == 302
    refused = second.post(path, {**base, "legal_basis": "My own legal basis"})
    assert refused.status_code == 200
    page = text(refused)
    assert "was changed by lancs-editor" in page
    assert "Your changes were not saved" in page
    assert 'value="My own legal basis"' in refused.content.decode()
    assert Delegation.objects.get(pk=pk).legal_basis == "Section 65Z5"


def risk_form(deal, **changes) -> dict:
    values = {
        "reference": "LAN-R02",
        "title": "Workforce gaps in community services",
        "description": "",
        "category": deal.category.pk,
        "owner": deal.director.pk,
        "inherent_likelihood": "5",
        "inherent_impact": "5",
        "current_likelihood": "2",
        "current_impact": "2",
        "target_likelihood": "1",
        "target_impact": "2",
        "controls": "Joint recruitment",
        "actions": "Rotational posts",
        "review_date": "2030-06-30",
    }
    values.update(changes)
    return values


def test_a_risk_form_names_each_field_that_is_wrong(deal):
    client = signed_in(deal.lancs_editor)
    page = text(
        client.post("/place/QE1-LAN/risks/new/", risk_form(deal, title="", current_impact=""))
    )
    assert "Enter the title." in page
    assert "Choose the current impact." in page
    higher = text(
        client.post(
            "/place/QE1-LAN/risks/new/",
            risk_form(deal, current_likelihood="5", current_impact="5", inherent_likelihood="1"),
        )
    )
    assert "never make a risk's current score higher than its inherent score" in higher
    assert not Risk.objects.filter(reference="LAN-R02").exists()


def test_a_new_risk_shows_on_the_heat_map(deal):
    client = signed_in(deal.lancs_editor)
    response = client.post("/place/QE1-LAN/risks/new/", risk_form(deal))
    created = Risk.objects.get(reference="LAN-R02")
    assert response["Location"] == f"/place/QE1-LAN/risks/{created.pk}/"
    html = client.get("/place/QE1-LAN/").content.decode()
    assert 'data-likelihood="2" data-impact="2" data-count="1"' in html
    assert "(2 open risks)" in text(client.get("/place/QE1-LAN/risks/"))


def test_the_worked_example_renders(db):
    from placeworks.governance import demo

    users = demo.ensure_demo_accounts()
    demo.load_worked_example(by=users["icb-admin"])
    for who in ("icb-admin", "lancs-viewer"):
        response = signed_in(users[who]).get("/place/QE1-LAN/")
        assert response.status_code == 200
        assert "Better Care Fund" in text(response)
    assert signed_in(users["blackpool-editor"]).get("/place/QE1-LAN/").status_code == 403


def test_signing_in_leads_to_the_users_own_place(deal):
    from django.contrib.auth import get_user_model

    assert signed_in(deal.lancs_editor).get("/accounts/home/")["Location"] == "/place/QE1-LAN/"
    assert signed_in(deal.bpl_editor).get("/accounts/home/")["Location"] == "/place/QE1-BPL/"
    admin = get_user_model().objects.get(username="icb-admin")
    assert signed_in(admin).get("/accounts/home/")["Location"] == "/icb/QE1/"
    nobody = get_user_model().objects.create_user("nobody", password="not-a-real-pw-42")
    assert signed_in(nobody).get("/accounts/home/")["Location"] == "/"
    response = Client().post(
        "/accounts/sign-in/", {"username": deal.lancs_editor.username, "password": PASSWORD}
    )
    assert response["Location"] == "/accounts/home/"
