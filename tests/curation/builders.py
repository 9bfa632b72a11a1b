"""Small records and admin-form helpers for the curation tests."""

from django.urls import reverse

from claims.models import Claim, Evidence, Presentation
from provenance.models import Agent, Citation, CustodyEvent, Event, Source, SourceCreator


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def a_claim(*, slug="stalin-approved", status=Claim.Status.DRAFT, with_evidence=True):
    """A claim resting on the 1966 report, which summarises the telegrams; presented at
    the Moscow conference by Weathersby."""
    org = Agent.objects.get_or_create(
        slug="cwihp",
        defaults={"name": "Cold War International History Project", "kind": "organisation"},
    )[0]
    person = Agent.objects.get_or_create(slug="weathersby", name="Kathryn Weathersby")[0]
    event = Event.objects.get_or_create(
        slug="moscow-1993", name="New Evidence on Cold War History", date="1993-01-12/1993-01-15"
    )[0]
    telegrams = Source.objects.get_or_create(
        slug="telegrams", title="Stalin–Kim telegrams", kind=Source.Kind.TELEGRAM, date="1950"
    )[0]
    report = Source.objects.get_or_create(
        slug="report-1966", title="On the Korean War", kind=Source.Kind.REPORT, date="1966"
    )[0]
    SourceCreator.objects.get_or_create(source=report, agent=org, role="compiler")
    Citation.objects.get_or_create(citing=report, cited=telegrams, kind="summarises")
    CustodyEvent.objects.get_or_create(source=report, kind="declassified", date="1993-01-13")
    claim = Claim.objects.create(
        slug=slug,
        statement=f"Stalin approved the attack ({slug}).",
        summary="Did Stalin consent?",
        date="1950-03/1950-04",
        status=status,
    )
    claim.subjects.add(person)
    if with_evidence:
        evidence = Evidence.objects.create(
            claim=claim,
            source=report,
            stance=Evidence.Stance.SUPPORTS,
            quotation="Stalin gave his consent.",
            locator="para. 4",
        )
        presentation = Presentation.objects.create(
            evidence=evidence, event=event, date="1993-01-13"
        )
        presentation.presenters.add(person)
    return claim


def form_data(response):
    """The POST data a browser would send back from an admin change (or add, revert,
    recover) form page, unchanged."""
    data = {}
    context = response.context
    forms = [context["adminform"].form]
    for inline in context.get("inline_admin_formsets", []):
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        forms += formset.forms
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            key = form.add_prefix(name)
            if value is None:
                continue
            if isinstance(value, bool):
                if value:
                    data[key] = "on"
                continue
            if isinstance(value, list | tuple):
                data[key] = [str(item) for item in value]
            else:
                data[key] = str(value)
    return data


def messages_of(response):
    from django.contrib.messages import get_messages

    return [str(message) for message in get_messages(response.wsgi_request)]
