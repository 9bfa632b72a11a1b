"""The admin site: Django's, with the curators' apps first and their models in the
order a curator works (a claim, its evidence, then where the evidence comes from)
instead of alphabetical order; and `LargeListAdmin`, for the list of a table too big to
count on every page."""

import datetime

from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.templatetags.admin_list import (
    ResultList,
    _coerce_field_name,
    result_headers,
    result_hidden_fields,
    results,
)
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import (
    FieldIsAForeignKeyColumnName,
    _get_non_gfk_field,
    display_for_field,
    display_for_value,
    lookup_field,
)
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.core.paginator import Paginator
from django.db import connections, models
from django.urls import NoReverseMatch, reverse
from django.utils.functional import cached_property
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
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
    def get_queryset(self, request, exclude_parameters=None):
        queryset = super().get_queryset(request, exclude_parameters)
        return queryset.defer(*self.model_admin.list_deferred)

    def get_results(self, request):
        super().get_results(request)
        if not self.has_active_filters and not self.query:
            # The list is the whole table: the search box has nothing to compare it with
            # (without this it would offer "N results (Show all)" on the full list).
            self.full_result_count = self.result_count

    # What Django's `result_list` tag gives change_list_results.html, for the list's own
    # template (templates/admin/large_list/change_list.html).

    @cached_property
    def rows(self):
        if self.formset or self.is_popup or not self.list_display_links:
            return list(results(self))
        linked = [name for name in self.list_display if name in self.list_display_links]
        cells = [
            self.cell_writer(index, name, link=name in linked, first_link=name == linked[0])
            for index, name in enumerate(self.list_display)
        ]
        return [ResultList(None, [cell(result) for cell in cells]) for result in self.result_list]

    @cached_property
    def headers(self):
        return list(result_headers(self))

    def num_sorted_fields(self):
        return sum(1 for header in self.headers if header["sortable"] and header["sorted"])

    def hidden_fields(self):
        return list(result_hidden_fields(self))

    def results_templates(self):
        opts = self.opts
        return [
            f"admin/{opts.app_label}/{opts.model_name}/change_list_results.html",
            f"admin/{opts.app_label}/change_list_results.html",
            "admin/change_list_results.html",
        ]

    def cell_writer(self, index, name, *, link, first_link):
        """A function writing one column's cell of a row as Django's `items_for_result`
        does, character for character, with what is the same in every row (the field or
        method, the empty value, the class, the choices) looked up once per page, not once
        per cell: for 100 rows that was most of the page's time. Not for editable lists
        or popups, which take Django's own."""
        model_admin = self.model_admin
        empty = model_admin.get_empty_value_display()
        tag = "th" if first_link else "td"
        try:
            field = _get_non_gfk_field(self.lookup_opts, name)
        except (FieldDoesNotExist, FieldIsAForeignKeyColumnName):
            field = None
        if field is not None and not field.auto_created:
            display = self.field_display(field, empty, link)
            nowrap = isinstance(field, (models.DateField, models.TimeField, models.ForeignKey))
            classes = f"field-{name}{' nowrap' if nowrap else ''}"

            def text(result):
                return classes, display(blank_as_empty(getattr(result, name)))

        else:
            if callable(name):
                method = name
            elif hasattr(model_admin, name) and name != "__str__":
                method = getattr(model_admin, name)
            else:
                method = None
            column_class = (
                "action-checkbox"
                if name == "action_checkbox"
                else f"field-{_coerce_field_name(name, index)}"
            )

            def text(result):
                if method is None:
                    attr, value = lookup_field(name, result, model_admin)[1:]
                else:
                    attr, value = method, method(result)
                value = blank_as_empty(value)
                boolean = getattr(attr, "boolean", False)
                if isinstance(attr, property) and hasattr(attr, "fget"):
                    boolean = getattr(attr.fget, "boolean", False)
                shown = display_for_value(
                    value, getattr(attr, "empty_value_display", empty), boolean
                )
                nowrap = isinstance(value, (datetime.date, datetime.time))
                return f"{column_class}{' nowrap' if nowrap else ''}", shown

        def cell(result):
            try:
                classes, shown = text(result)
            except ObjectDoesNotExist:
                classes, shown = f"field-{_coerce_field_name(name, index)}", empty
            html = conditional_escape(shown)
            if link:
                url = self.change_url(result)
                if url is not None:
                    html = f'<a href="{url}">{html}</a>'
            return mark_safe(f'<{tag} class="{classes}">{html}</{tag}>')

        return cell

    # Stands for a row's key in the change page's address reversed once per page.
    KEY_MARK = "~key~"

    @cached_property
    def change_url_parts(self):
        """The escaped change page's address, the list's filters kept, before and after a
        row's key: what `url_for_result` and `add_preserved_filters` give each row, for
        the price of one reverse() per page. None if the change page has no address."""
        opts = self.opts
        try:
            url = reverse(
                f"admin:{opts.app_label}_{opts.model_name}_change",
                args=(self.KEY_MARK,),
                current_app=self.model_admin.admin_site.name,
            )
        except NoReverseMatch:
            return None
        before, _, after = self.with_filters(url).partition(self.KEY_MARK)
        return conditional_escape(before), conditional_escape(after)

    def change_url(self, result):
        """The escaped address of the row's change page, or None if it has none."""
        key = getattr(result, self.pk_attname)
        if type(key) is int and self.change_url_parts is not None:
            before, after = self.change_url_parts
            return f"{before}{key}{after}"
        # Other keys may need quoting: Django's way, row by row.
        try:
            return conditional_escape(self.with_filters(self.url_for_result(result)))
        except NoReverseMatch:
            return None

    def with_filters(self, url):
        return add_preserved_filters(
            {"preserved_filters": self.preserved_filters, "opts": self.opts}, url
        )

    @staticmethod
    def field_display(field, empty, link):
        """value → what Django's `display_for_field` shows for it, with a field's choices
        made a dict once, not once per cell."""
        if isinstance(field.remote_field, models.ManyToOneRel):
            return lambda value: empty if value is None else value
        if getattr(field, "flatchoices", None):
            try:
                choices = dict(field.flatchoices)
            except TypeError:  # list-like choices: Django's own way, cell by cell
                pass
            else:

                def choice(value):
                    try:
                        return choices.get(value, empty)
                    except TypeError:
                        return display_for_field(value, field, empty, avoid_link=link)

                return choice
        return lambda value: display_for_field(value, field, empty, avoid_link=link)


def blank_as_empty(value):
    return "" if isinstance(value, str) and value.strip() == "" else value


class LargeListAdmin:
    """For a ModelAdmin whose table holds 100,000 rows or more: its list counts once per
    page, not twice, and takes PostgreSQL's estimate for the unfiltered list (the
    paginator says "about"); its rows are written by LargeListChangeList, the same HTML as
    Django's but with each column's invariant work done once per page; and its row
    checkboxes without the form template engine, which took a quarter of the page's
    time for 100 rows."""

    paginator = EstimatedCountPaginator
    # Half Django's 100: writing the rows is most of the page's time, and a curator
    # reviewing a large table pages through it or narrows it with the filters.
    list_per_page = 50
    # Long fields no column shows, left unread: each row would otherwise carry them.
    list_deferred = ()
    # Django's switch for large tables: no count of the whole table beside the search
    # box's count of the results ("N results (Show all)" instead of "(N total)").
    show_full_result_count = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The list's own template overrides only the block of rows, inside whichever
        # template the admin's other mixins chose (import and export, history).
        self.large_list_parent_template = self.change_list_template or "admin/change_list.html"
        self.change_list_template = "admin/large_list/change_list.html"

    def changelist_view(self, request, extra_context=None):
        context = {"large_list_parent_template": self.large_list_parent_template}
        context.update(extra_context or {})
        return super().changelist_view(request, context)

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
