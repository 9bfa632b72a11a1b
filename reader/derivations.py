"""The picture of where the evidence comes from: sources as boxes, each citation an
arrow from the deriving source to the one it derives from, labelled with its kind.

Two parts:

- the description (`claim_picture`, `source_picture`): which sources, which arrows,
  how they are grouped and marked, from data already read (no queries, no Graphviz).
  It is also the picture's text equivalent, which the page prints under it;
- the drawing (`draw`): the description laid out by Graphviz's `dot`, as SVG to put
  in the page. Without `dot`, or if it fails or takes too long, there is no drawing and
  the page shows the words only; it never fails for want of a picture.

On a claim page the groups are the independent lines of evidence that the strength
method found (claims/strength.py), numbered as the page numbers them; on a source
page the picture holds the source, what it derives from and what derives from it.
Every source in a picture is public: a claim's evidence and everything it derives
from are public while the claim is published (claims/visibility.py; only staff see
an unpublished claim's page), and a source page keeps only the related sources that
the rule makes public.
"""

import hashlib
import html
import json
import logging
import subprocess
import textwrap
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from xml.etree import ElementTree

import graphviz
from django.utils.safestring import mark_safe

from claims import strength
from provenance.graph import Link, reachable
from provenance.links import slug_url_maker
from provenance.models import Source
from reader.cache import remembered

log = logging.getLogger(__name__)

# The program that lays the picture out, and how long a page waits for it.
DOT_COMMAND = "dot"
DOT_TIMEOUT_SECONDS = 5
# Beyond this many sources a drawing is no longer legible: the words only.
MOST_DRAWN = 60
# A source page draws its nearest relations, up to this many besides itself, and
# asks which are public of a few more (a source between two may not be).
MOST_RELATED = 30
MOST_ASKED = 4 * MOST_RELATED
# Drawings are shown at their own size and scroll sideways when wider than the page:
# the room inside the frame on a 390 px phone, and at the widest (site.css).
PHONE_WIDTH = 356
PAGE_WIDTH = 1110


@dataclass
class Node:
    """One source in the picture."""

    key: str  # the source's slug
    title: str
    path: str
    is_root: bool = False  # derives from no recorded source
    marks: list = field(default_factory=list)  # its part, in words: "evidence for"
    emphasis: str = ""  # how its box is drawn: "for", "against", "this", ...

    @property
    def description(self):
        """Its title and marks in one line: the drawn box's title."""
        marks = self.all_marks
        return f"{self.title} ({', '.join(marks)})" if marks else self.title

    @property
    def all_marks(self):
        return [*self.marks, *(["root"] if self.is_root else [])]


@dataclass(frozen=True)
class Edge:
    """One citation: `citing` derives from `cited`, in the way `kind` says."""

    citing: str
    cited: str
    kind: str
    kind_label: str


@dataclass
class Group:
    """Sources drawn together and listed together: a line of evidence on a claim
    page; on a source page, the source and what lies on either side of it."""

    label: str
    keys: list = field(default_factory=list)


@dataclass(frozen=True)
class Drawing:
    """The picture as SVG for the page, and its width in CSS pixels."""

    svg: str
    width: float

    @property
    def scrolls_on_a_phone(self):
        return self.width > PHONE_WIDTH

    @property
    def scrolls_everywhere(self):
        return self.width > PAGE_WIDTH


@dataclass
class Picture:
    name: str  # what it shows, for the log (the page's heading names the drawing)
    nodes: dict  # slug -> Node, in the order they are listed
    edges: list
    groups: list
    clustered: bool  # whether the groups are drawn as boxes round their sources
    shortened: bool = False  # a source page with more relations than it shows

    @property
    def current_path(self):
        """The address of the page the picture is on, if it is a source's."""
        return next((node.path for node in self.nodes.values() if node.emphasis == "this"), None)

    @property
    def drawable(self):
        return 0 < len(self.nodes) <= MOST_DRAWN

    def derivations(self, key):
        """The edges from a source to what it derives from, as (edge, node) pairs."""
        return [(edge, self.nodes[edge.cited]) for edge in self.edges if edge.citing == key]

    def listed_groups(self):
        """Each non-empty group with its nodes, for the text equivalent."""
        return [
            (group, [self.nodes[key] for key in group.keys]) for group in self.groups if group.keys
        ]


# The description


def _edges(links: Iterable[Link], keys) -> list[Edge]:
    seen, edges = set(), []
    for link in links:
        edge = (link.citing_slug, link.cited_slug, link.kind)
        if edge in seen or link.citing_slug not in keys or link.cited_slug not in keys:
            continue
        seen.add(edge)
        edges.append(Edge(*edge, link.kind_label))
    return edges


def _derives_from(links: Iterable[Link]) -> dict[str, set[str]]:
    parents: dict[str, set[str]] = {}
    for link in links:
        parents.setdefault(link.citing_slug, set()).add(link.cited_slug)
    return parents


def _stance_words(stances):
    bearing = stances & {strength.Stance.SUPPORTS, strength.Stance.CONTRADICTS}
    if len(bearing) == 2:
        return "evidence for and against", "both"
    if strength.Stance.SUPPORTS in bearing:
        return "evidence for", "for"
    if strength.Stance.CONTRADICTS in bearing:
        return "evidence against", "against"
    return "context", "context"


def _line_label(numbers):
    """The group of a line, as "Evidence for, line 1" or "Context"."""
    if "for" in numbers and "against" in numbers:
        return f"Evidence for, line {numbers['for']}, and against, line {numbers['against']}"
    if "for" in numbers:
        return f"Evidence for, line {numbers['for']}"
    if "against" in numbers:
        return f"Evidence against, line {numbers['against']}"
    return "Context"


def claim_picture(report, evidence, links: list[Link]) -> Picture:
    """The sources behind a claim as `report` (reader.presenters.ClaimReport) weighs
    them: `evidence` its items (reader/records.py), `links` every citation from their
    sources to the roots (the page has read them for the strength method).

    Each independent line is a group: its evidence sources, as the strength method
    grouped them, and what they derive from. What sources of two lines derive from
    joins the line whose original evidence (deriving from no other counted source)
    reaches it, so a news report relaying two lines points into the other one.
    Evidence not counted (not yet public, or forged), and what only it derives from,
    form a group of their own.
    """
    source_path = slug_url_maker(Source.url_name)
    titles = {item.source.slug: item.source.title for item in evidence}
    for link in links:
        titles.setdefault(link.citing_slug, link.citing_title)
        titles.setdefault(link.cited_slug, link.cited_title)
    parents = _derives_from(links)
    nodes = {
        key: Node(key, title, source_path(key), is_root=not parents.get(key))
        for key, title in titles.items()
    }

    numbers: dict[str, dict[str, int]] = {}
    for stance, views in (("for", report.for_lines), ("against", report.against_lines)):
        for view in views:
            numbers.setdefault(view.line.key, {})[stance] = view.number
    groups, group_of = [], {}
    stances: dict[str, set] = {}
    bearing: set[str] = set()
    for line in report.assessment.lines:
        group = Group(_line_label(numbers.get(line.key, {})))
        groups.append(group)
        for item in line.items:
            key = item.evidence.source_key
            stances.setdefault(key, set()).add(item.evidence.stance)
            if item.bears:
                bearing.add(key)
            if key not in group_of:
                group_of[key] = group
                group.keys.append(key)
    not_counted = Group("Not counted")
    not_counted_keys = []
    for view in report.not_counted:
        key = view.evidence.source.slug
        if key not in stances:
            not_counted_keys.append(key)
        stances.setdefault(key, set()).add(strength.Stance(view.evidence.stance))
    for key, found in stances.items():
        words, emphasis = _stance_words(found)
        nodes[key].emphasis = emphasis
        nodes[key].marks.append(words)
    for key in not_counted_keys:
        nodes[key].marks.append("not counted")
        nodes[key].emphasis = "not-counted"

    # What a line's sources derive from joins the line: first what its originals
    # derive from (those no other counted source lies behind), which only that line
    # reaches, then what only a derivative or a context source reaches.
    ancestry = {key: reachable(key, parents) for key in titles}
    counted = list(group_of)
    originals = [key for key in counted if key in bearing and not ancestry[key] & bearing]
    for key in [*originals, *counted]:
        for ancestor in sorted(ancestry[key], key=lambda k: (titles[k], k)):
            if ancestor not in group_of:
                group_of[ancestor] = group_of[key]
                group_of[key].keys.append(ancestor)
    for key in not_counted_keys:
        for member in [key, *sorted(ancestry[key], key=lambda k: (titles[k], k))]:
            if member not in group_of:
                group_of[member] = not_counted
                not_counted.keys.append(member)
    groups.append(not_counted)

    ordered = {key: nodes[key] for group in groups for key in group.keys}
    name = "Where the evidence for and against this claim comes from"
    return Picture(name, ordered, _edges(links, ordered), groups, clustered=True)


def _nearest_first(start, links: Iterable[Link], *, key_of) -> list:
    """The sources connected to `start` through `links` towards the roots and away
    from them, nearest first (then by title), `start` left out; `key_of(link)` gives
    a link's (citing, cited) keys."""
    parents: dict = {}
    children: dict = {}
    titles = {}
    for link in links:
        citing, cited = key_of(link)
        parents.setdefault(citing, set()).add(cited)
        children.setdefault(cited, set()).add(citing)
        titles[citing], titles[cited] = link.citing_title, link.cited_title
    distance = {start: 0}
    for neighbours in (parents, children):
        frontier = [start]
        while frontier:
            following = []
            for key in frontier:
                for other in neighbours.get(key, ()):
                    if other not in distance:
                        distance[other] = distance[key] + 1
                        following.append(other)
            frontier = following
    del distance[start]
    return sorted(distance, key=lambda key: (distance[key], titles[key], str(key)))


def nearest_ids(source_id, ancestors: list[Link], descendants: list[Link], *, most) -> list[int]:
    """The ids of the `most` sources nearest to a source among what it derives from
    and what derives from it: those a source page need ask about."""
    links = (*ancestors, *descendants)
    return _nearest_first(source_id, links, key_of=lambda link: (link.citing_id, link.cited_id))[
        :most
    ]


def source_picture(
    source, ancestors: list[Link], descendants: list[Link], public_ids, *, most=MOST_RELATED
) -> Picture:
    """A source with what it derives from (`ancestors`, walked to the roots) and what
    derives from it (`descendants`), keeping only the sources in `public_ids` that
    public sources still connect to it, nearest first, `most` of them at most."""
    source_path = slug_url_maker(Source.url_name)
    public = {source.pk, *public_ids}
    links = [
        link
        for link in (*ancestors, *descendants)
        if link.citing_id in public and link.cited_id in public
    ]
    related = _nearest_first(
        source.slug, links, key_of=lambda link: (link.citing_slug, link.cited_slug)
    )
    kept = {source.slug, *related[:most]}
    links = [link for link in links if link.citing_slug in kept and link.cited_slug in kept]
    parents = _derives_from(links)
    behind = reachable(source.slug, parents)

    this = Node(source.slug, source.title, source_path(source.slug))
    this.is_root = not parents.get(source.slug)
    this.marks.append("this source")
    this.emphasis = "this"
    nodes = {source.slug: this}
    groups = [
        Group("This source", [source.slug]),
        Group("What it derives from"),
        Group("What derives from it"),
    ]
    titles = {link.citing_slug: link.citing_title for link in links}
    titles.update({link.cited_slug: link.cited_title for link in links})
    for key in related[:most]:
        nodes[key] = Node(key, titles[key], source_path(key), is_root=not parents.get(key))
        groups[1 if key in behind else 2].keys.append(key)
    ordered = {key: nodes[key] for group in groups for key in group.keys}
    return Picture(
        f"What “{source.title}” derives from and what derives from it",
        ordered,
        _edges(links, ordered),
        groups,
        clustered=False,
        shortened=len(related) > most,
    )


# The drawing

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
FONT = "DejaVu Sans,Verdana,sans-serif"
INK, SOFT_INK, LINK = "#1d2125", "#4a5158", "#1b4f8a"
# Fills light enough for the ink to keep a contrast above 12:1; the words in the
# box, not the colour, say what a source is.
FILLS = {
    "for": "#e4f3e8",
    "against": "#fbe4e1",
    "both": "#f3ecd9",
    "context": "#eef0f2",
    "not-counted": "#f1f0ec",
    "this": "#fff4d6",
    "": "#ffffff",
}
# Each kind of derivation drawn its own way, as well as named on its arrow.
EDGE_STYLES = {
    "quotes": {"style": "solid"},
    "summarises": {"style": "dashed"},
    "translates": {"style": "bold"},
    "copies": {"style": "solid", "color": f"{SOFT_INK}:invis:{SOFT_INK}"},
    "cites": {"style": "dotted"},
}
LABEL_WIDTH = 24  # characters a line of a box's title
LABEL_LINES = 4

_dot_missing_logged = False
DRAWING_KEY_PREFIX = "provenance-drawing"
DRAWING_KEPT_SECONDS = 24 * 60 * 60


def _label(node: Node) -> str:
    """The box's words as a Graphviz HTML-like label: the title, wrapped and cut short,
    then its marks smaller. Every text is escaped as the label's XML requires."""
    lines = textwrap.wrap(node.title, LABEL_WIDTH, break_long_words=True) or [node.key]
    if len(lines) > LABEL_LINES:
        lines = lines[:LABEL_LINES]
        lines[-1] = lines[-1][: LABEL_WIDTH - 1].rstrip() + "…"
    parts = [f'<FONT COLOR="{LINK}">{"<BR/>".join(html.escape(line) for line in lines)}</FONT>']
    marks = node.all_marks
    if marks:
        parts.append(
            f'<FONT POINT-SIZE="12" COLOR="{SOFT_INK}">{html.escape(" · ".join(marks))}</FONT>'
        )
    return f"<{'<BR/>'.join(parts)}>"


def dot_source(picture: Picture) -> tuple[str, dict[str, str]]:
    """The picture in the DOT language, and the title each drawn element should carry
    (by the name `dot` gives it in its SVG)."""
    graph = graphviz.Digraph(
        name="provenance",
        graph_attr={
            "rankdir": "BT",  # the roots at the top, arrows pointing up to them
            "bgcolor": "transparent",
            "fontname": FONT,
            "fontsize": "13",
            "fontcolor": INK,
            "nodesep": "0.25",
            "ranksep": "0.5",
            "pad": "0.1",
        },
        node_attr={
            "shape": "box",
            "style": "rounded,filled",
            "fontname": FONT,
            "fontsize": "13",
            "fontcolor": INK,
            "color": SOFT_INK,
            "margin": "0.12,0.06",
        },
        edge_attr={
            "fontname": FONT,
            "fontsize": "12",
            "fontcolor": SOFT_INK,
            "color": SOFT_INK,
            "arrowsize": "0.8",
        },
    )
    names = {key: f"n{index}" for index, key in enumerate(picture.nodes)}
    titles = {"provenance": picture.name}

    def add_node(target, node):
        attrs = {
            "label": _label(node),
            "URL": node.path,
            "fillcolor": FILLS.get(node.emphasis, FILLS[""]),
        }
        if node.is_root:
            attrs["peripheries"] = "2"
        if node.emphasis == "this":
            attrs.update(penwidth="2.5", color=INK)
        target.node(names[node.key], **attrs)
        titles[names[node.key]] = node.description

    for index, (group, members) in enumerate(picture.listed_groups()):
        if picture.clustered:
            cluster_name = f"cluster_{index}"
            titles[cluster_name] = group.label
            with graph.subgraph(name=cluster_name) as cluster:
                cluster.attr(
                    label=graphviz.escape(group.label),
                    labeljust="l",
                    labelloc="b",  # the top: the ranks run upwards
                    style="rounded,dashed",
                    color="#8a8578",
                    fontsize="12",
                    fontcolor=SOFT_INK,
                )
                for node in members:
                    add_node(cluster, node)
        else:
            for node in members:
                add_node(graph, node)
    for edge in picture.edges:
        citing, cited = names[edge.citing], names[edge.cited]
        graph.edge(
            citing,
            cited,
            label=graphviz.escape(f" {edge.kind_label} "),
            **EDGE_STYLES.get(edge.kind, {}),
        )
        titles[f"{citing}->{cited}"] = (
            f"{picture.nodes[edge.citing].title} {edge.kind_label} "
            f"{picture.nodes[edge.cited].title}"
        )
    return graph.source, titles


def draw(picture: Picture, *, labelled_by: str) -> Drawing | None:
    """The picture drawn for the page, or None if there is nothing to draw or `dot`
    could not draw it. `labelled_by` is the id of the element naming the drawing.

    Kept in the cache under a digest of everything it is drawn from: pages are
    rendered again after every change that moves their version (any change at all,
    for a source page), and most such changes leave the picture as it was. `dot`
    costs four times what the rest of a claim page costs (docs/decisions.md)."""
    if not picture.drawable:
        return None
    source, titles = dot_source(picture)
    made_from = json.dumps([DOT_COMMAND, source, titles, labelled_by], sort_keys=True)
    key = f"{DRAWING_KEY_PREFIX}:{hashlib.sha256(made_from.encode()).hexdigest()}"
    return remembered(
        key, lambda: _drawn(picture, source, titles, labelled_by), timeout=DRAWING_KEPT_SECONDS
    )


def _drawn(picture, source, titles, labelled_by):
    try:
        drawn = subprocess.run(
            [DOT_COMMAND, "-Tsvg"],
            input=source.encode(),
            capture_output=True,
            timeout=DOT_TIMEOUT_SECONDS,
            check=True,
        ).stdout
    except FileNotFoundError:
        global _dot_missing_logged
        if not _dot_missing_logged:
            _dot_missing_logged = True
            log.warning(
                "Graphviz's %r is not installed: pages show the provenance picture in "
                "words only (apt-get install graphviz).",
                DOT_COMMAND,
            )
        return None
    except subprocess.TimeoutExpired:
        log.warning("dot took over %s s to draw %s; words only.", DOT_TIMEOUT_SECONDS, picture.name)
        return None
    except (subprocess.CalledProcessError, OSError) as error:
        log.warning("dot could not draw %s (%s); words only.", picture.name, error)
        return None
    try:
        return _for_the_page(drawn, titles, labelled_by=labelled_by, current=picture.current_path)
    except (ElementTree.ParseError, KeyError, ValueError) as error:
        log.warning("dot's drawing of %s could not be read (%s); words only.", picture.name, error)
        return None


def _for_the_page(
    drawn: bytes, titles: Mapping[str, str], *, labelled_by: str, current=None
) -> Drawing:
    """dot's SVG as an element of the page: parsed and written out again, so that every
    text in it is escaped whatever dot wrote; sizes in CSS pixels; dot's ids (which
    could clash with the page's) dropped; titles in words instead of dot's names for
    the elements. A source's box is a link (SVG 2's `href`, no XLink) whose title,
    the source's full title and marks, is its accessible name and its tooltip; the
    box of the page's own source (`current`, its address) says so.

    Written without namespaces, as HTML writes SVG: the HTML parser puts everything
    inside <svg> in the SVG namespace."""
    root = ElementTree.fromstring(drawn)
    for element in root.iter():
        element.tag = element.tag.removeprefix(f"{{{SVG}}}")
        element.attrib.pop("id", None)
    for link in root.iter("a"):
        href = link.get(f"{{{XLINK}}}href")
        if not href:
            raise ValueError("a source's box without its address")
        link.attrib.clear()
        link.set("href", href)
        if href == current:
            link.set("aria-current", "page")
    for element in root.iter():
        for name in [name for name in element.attrib if name.startswith("{")]:
            del element.attrib[name]
    for dimension in ("width", "height"):
        root.set(dimension, root.get(dimension, "0").removesuffix("pt"))
    root.set("role", "group")
    root.set("aria-labelledby", labelled_by)
    root.set("class", "provenance-svg")
    for group in root.iter("g"):
        title = group.find("title")
        if title is None:
            continue
        if group.get("class") == "graph":
            group.remove(title)  # the drawing is named by `labelled_by`
        elif group.get("class") == "node":
            # The link inside carries the title, the name a screen reader gives it.
            group.remove(title)
            for link in group.iter("a"):
                link.insert(0, title)
                title.text = titles[title.text]
        elif title.text in titles:
            title.text = titles[title.text]
    markup = ElementTree.tostring(root, encoding="unicode")
    # Safe: ElementTree escaped every text and attribute it wrote.
    return Drawing(mark_safe(markup), float(root.get("width")))  # noqa: S308
