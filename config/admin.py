"""The admin site: Django's, with the curators' apps first and their models in the
order a curator works (a claim, its evidence, then where the evidence comes from)
instead of alphabetical order; and `LargeListAdmin`, for the list of a table too big to
count on every page."""

from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.views.main import ChangeList
from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext as _

# App label → model names, in the order the index and the sidebar list them. Apps and
# models not named here follow, in Django's alphabetical order.
ADMIN_ORDER = {
    "claims": ["claim", "evidence", "presentation", "topic", "claimtransition"],
    "provenance": [
        "source",
        "agent",
        "event",
        "custodyevent",
        "citation",
        "sourcecreator",
        "agentname",
        "affiliation",
    ],
}


class CorroborateAdminSite(admin.AdminSite):
    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)
        app_order = list(ADMIN_ORDER)

        def app_position(app):
            label = app["app_label"]
            return (app_order.index(label) if label in app_order else len(app_order),)

        for app in apps:
            model_order = ADMIN_ORDER.get(app["app_label"], [])
            app["models"].sort(
                key=lambda model: (
                    model_order.index(model["object_name"].lower())
                    if model["object_name"].lower() in model_order
                    else len(model_order)
                )
            )
        # Stable sorts: what is not named keeps Django's alphabetical order.
        apps.sort(key=app_position)
        return apps


# Below this many rows by PostgreSQL's estimate, a list is counted exactly: the count is
# cheap then, and a small table's estimate may be stale (autovacuum can be off).
EXACT_COUNT_BELOW = 10_000


def whole_table_count(queryset):
    """(rows, whether that is an estimate) for a queryset that is a whole table on
    PostgreSQL, in one query: the table's pg_class.reltuples (kept by VACUUM and
    ANALYZE) from EXACT_COUNT_BELOW rows up, a count below. None when the queryset is
    filtered or the database is not PostgreSQL."""
    query = queryset.query
    if query.where or query.distinct or query.combinator or query.is_sliced:
        return None
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    table = connection.ops.quote_name(queryset.model._meta.db_table)
    # The subquery runs only when the CASE reaches it (an InitPlan, evaluated on demand);
    # reltuples is -1 for a table never vacuumed nor analysed.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples >= %s, CASE WHEN reltuples >= %s THEN reltuples::bigint "
            f"ELSE (SELECT COUNT(*) FROM {table}) END "
            "FROM pg_class WHERE oid = %s::regclass",
            [EXACT_COUNT_BELOW, EXACT_COUNT_BELOW, table],
        )
        is_estimate, rows = cursor.fetchone()
    return rows, is_estimate


class EstimatedCountPaginator(Paginator):
    """Pages a whole large table by PostgreSQL's estimate of its rows instead of counting
    them; anything filtered or searched, any small table and SQLite are counted."""

    count_is_estimate = False

    @cached_property
    def count(self):
        whole = whole_table_count(self.object_list)
        if whole is None:
            return super().count
        rows, self.count_is_estimate = whole
        return rows


class LargeListChangeList(ChangeList):
    def get_results(self, request):
        super().get_results(request)
        if not self.has_active_filters and not self.query:
            # The list is the whole table: the search box has nothing to compare it with
            # (without this it would offer "N results (Show all)" on the full list).
            self.full_result_count = self.result_count


class LargeListAdmin:
    """For a ModelAdmin whose table holds 100,000 rows or more: its list counts once per
    page, not twice, and takes PostgreSQL's estimate for the unfiltered list (the
    paginator says "about"); its row checkboxes are written without the form template
    engine, which took a quarter of the page's time for 100 rows."""

    paginator = EstimatedCountPaginator
    # Django's switch for large tables: no count of the whole table beside the search
    # box's count of the results ("N results (Show all)" instead of "(N total)").
    show_full_result_count = False

    def get_changelist(self, request, **kwargs):
        return LargeListChangeList

    def action_checkbox(self, obj):
        # What Django's CheckboxInput renders for it, character for character.
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            obj.pk,
            format_html(_("Select this object for an action - {}"), str(obj)),
        )
