"""The migrations that give every existing placement a provider (service_episodes 0003–0004)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

OLD = ("service_episodes", "0003_ktt_contract_decider")
NEW = ("service_episodes", "0005_placement_provider_required")


def _migrate(targets: list[tuple[str, str | None]] | None = None) -> MigrationExecutor:
    """Migrate to ``targets`` (None: the latest migrations of every app)."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    return executor


@pytest.mark.django_db(transaction=True)
def test_existing_placements_get_the_provider_their_kind_implies() -> None:
    old = _migrate([OLD, ("ktt", None)]).loader.project_state(OLD).apps
    organisation_model = old.get_model("accounts", "Organisation")
    placement_model = old.get_model("service_episodes", "Placement")
    municipality = organisation_model.objects.create(slug="k", name="Kunta", kind="municipality")
    county = organisation_model.objects.create(slug="h", name="HVA", kind="wellbeing_county")
    for organisation, name, kind in [
        (municipality, "TyöVarikko", "workshop"),
        (municipality, "Puisto", "municipal_unit"),
        (municipality, "Palvelukeskus", "wellbeing_county_unit"),
        (municipality, "Kierrätys ry", "association"),
        (municipality, "Rakennus Oy", "company"),
        (county, "Kunnan keittiö", "municipal_unit"),
        (county, "Hyvinvointialueen paja", "workshop"),
    ]:
        placement_model.objects.create(organisation=organisation, name=name, kind=kind)

    new = _migrate([NEW]).loader.project_state(NEW).apps
    _migrate()  # back to the latest state for the tests that follow

    placements = new.get_model("service_episodes", "Placement").objects.select_related("provider")
    found = {
        p.name: (p.provider.name, p.provider.arrangement, p.provider.legal_form, p.provider.scope)
        for p in placements
    }
    assert found == {
        "TyöVarikko": ("Kunta, oma tuotanto", "own_production", "municipality", "work_activity"),
        "Puisto": ("Kunta, oma tuotanto", "own_production", "municipality", "work_activity"),
        "Palvelukeskus": (
            "Palvelukeskus (yhteistyösopimus)",
            "cooperation",
            "wellbeing_county",
            "work_activity",
        ),
        "Kierrätys ry": ("Kierrätys ry", "purchased", "association", "work_activity"),
        "Rakennus Oy": ("Rakennus Oy", "purchased", "company", "support_only"),
        "Kunnan keittiö": (
            "Kunnan keittiö (yhteistyösopimus)",
            "cooperation",
            "municipality",
            "work_activity",
        ),
        "Hyvinvointialueen paja": (
            "HVA, oma tuotanto",
            "own_production",
            "wellbeing_county",
            "work_activity",
        ),
    }
    assert {p.provider.reimbursement_share for p in placements} == {0}
