"""Data: each name of a role's free-text sites becomes a link to the town's ``Site`` of that
name (created when no enrolment named it). Reversible: going back writes the names again."""

from django.db import migrations


def links_from_names(apps, schema_editor):
    AgentRole = apps.get_model("accounts", "AgentRole")
    AgentSite = apps.get_model("accounts", "AgentSite")
    Site = apps.get_model("catalog", "Site")
    for role in AgentRole._base_manager.exclude(legacy_sites=[]).iterator():
        for text in role.legacy_sites or []:
            name = " ".join(str(text).split())[:120]
            if not name:
                continue
            site, _created = Site._base_manager.get_or_create(
                municipality_id=role.municipality_id, name=name
            )
            AgentSite._base_manager.get_or_create(
                municipality_id=role.municipality_id, agent_role_id=role.pk, site_id=site.pk
            )


def names_from_links(apps, schema_editor):
    AgentRole = apps.get_model("accounts", "AgentRole")
    AgentSite = apps.get_model("accounts", "AgentSite")
    names: dict[int, list[str]] = {}
    for link in AgentSite._base_manager.select_related("site").order_by("site__name"):
        names.setdefault(link.agent_role_id, []).append(link.site.name)
    for role_id, role_names in names.items():
        AgentRole._base_manager.filter(pk=role_id).update(legacy_sites=role_names)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0004_sites_from_enrolments"),
        ("accounts", "0006_agent_site_list"),
    ]

    operations = [migrations.RunPython(links_from_names, names_from_links)]
