"""The home page's picture of the archive: how many published claims stand at each
level of evidence, over all and by broad topic, as bars whose parts link to the claim
list filtered to them. Built from the counts `selectors.claims_by_topic_and_level`
reads in one query; no queries here.

Every part of a bar is also a link in words ("Strong 3") beside it, so the picture
needs neither colour nor sight: the bar's SVG is hidden from screen readers, and its
links are left out of the tab order, since the words carry the same links.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse

from claims import strength

# The broad topics shown, largest first; the claim list's topic filter offers all.
TOPICS_SHOWN = 10

# Most reliable first, the order a reader scans the bar in.
LEVELS_IN_ORDER = tuple(reversed(strength.LEVELS_BY_RANK))


@dataclass(frozen=True)
class Part:
    """The claims of one level in one bar: how many, the list of them, and where the
    part lies along the bar (percentages of the longest bar)."""

    level: strength.Level
    count: int
    url: str
    x: float
    width: float


@dataclass(frozen=True)
class Bar:
    """One topic's claims (or all claims, with `topic_slug` None) by level."""

    name: str
    topic_slug: str | None
    url: str
    total: int
    parts: tuple

    @property
    def width(self):
        return sum(part.width for part in self.parts)


@dataclass(frozen=True)
class Glance:
    overall: Bar
    topics: tuple
    topics_left_out: int

    @property
    def bars(self):
        return (self.overall, *self.topics)


def archive_glance(rows):
    """The bars for `rows` of (topic slug or None, topic name or None, strength rank,
    count), as `selectors.claims_by_topic_and_level` gives them; None when no claim is
    published."""
    counts, names = {}, {}
    for slug, name, rank, count in rows:
        counts.setdefault(slug, {})[strength.LEVELS_BY_RANK[rank]] = count
        names[slug] = name
    overall_total = sum(counts.get(None, {}).values())
    if not overall_total:
        return None
    list_url = reverse("claims:list")

    def bar(slug, name):
        by_level = counts[slug]
        topic = {"topic": slug} if slug else {}
        parts, x = [], 0.0
        for level in LEVELS_IN_ORDER:
            count = by_level.get(level, 0)
            if count:
                width = round(100 * count / overall_total, 3)
                url = f"{list_url}?{urlencode({**topic, 'level': level.value})}"
                parts.append(Part(level=level, count=count, url=url, x=x, width=width))
                x = round(x + width, 3)
        url = f"{list_url}?{urlencode(topic)}" if topic else list_url
        return Bar(
            name=name, topic_slug=slug, url=url, total=sum(by_level.values()), parts=tuple(parts)
        )

    topics = sorted(
        (bar(slug, names[slug]) for slug in counts if slug is not None),
        key=lambda topic: (-topic.total, topic.name),
    )
    return Glance(
        overall=bar(None, "All claims"),
        topics=tuple(topics[:TOPICS_SHOWN]),
        topics_left_out=max(0, len(topics) - TOPICS_SHOWN),
    )
