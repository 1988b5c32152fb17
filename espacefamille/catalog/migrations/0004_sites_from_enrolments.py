"""Data: one ``Site`` per town and distinct free-text site of its enrolments (spaces trimmed),
and every enrolment pointed at its site. Reversible: going back copies the site's name into the
free text. An empty database has nothing to copy."""

from django.db import migrations


def sites_from_enrolments(apps, schema_editor):
    Site = apps.get_model("catalog", "Site")
    Enrollment = apps.get_model("catalog", "Enrollment")
    sites: dict[tuple[int, str], int] = {}
    rows = Enrollment._base_manager.exclude(legacy_site="").values_list(
        "pk", "municipality_id", "legacy_site"
    )
    for pk, municipality_id, text in rows.iterator():
        name = " ".join(text.split())[:120]
        if not name:
            continue
        key = (municipality_id, name)
        if key not in sites:
            site, _created = Site._base_manager.get_or_create(
                municipality_id=municipality_id, name=name
            )
            sites[key] = site.pk
        Enrollment._base_manager.filter(pk=pk).update(site_id=sites[key])


def free_text_from_sites(apps, schema_editor):
    Enrollment = apps.get_model("catalog", "Enrollment")
    for enrolment in Enrollment._base_manager.exclude(site=None).select_related("site").iterator():
        Enrollment._base_manager.filter(pk=enrolment.pk).update(legacy_site=enrolment.site.name)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0003_site_list")]

    operations = [migrations.RunPython(sites_from_enrolments, free_text_from_sites)]
