"""The words for what is known of a source, in one place: how close it stands to the
events, whether it can be inspected, whether it is genuine and whether what it says is
true. The admin offers them as choices (`provenance.models.Source`), the public source
page shows them, and the strength method writes them into the weights it explains on
claim pages (`claims.strength`), so the same state reads the same everywhere.

Plain Python, no Django: the pure strength method imports it. Each word is written as
it starts a line; inside a sentence the strength method lowers its first letter.
"""

PROXIMITY = {
    "contemporaneous": "Contemporaneous record",
    "examination": "Direct examination of the object",
    "official_retrospective": "Official retrospective report",
    "testimony": "Participant testimony or memoir",
    "scholarly": "Scholarly secondary work",
    "journalism": "Journalism or tertiary work",
}

ACCESS = {
    "published": "Published",
    "open": "Open in an archive",
    "declassified": "Declassified",
    "cited_only": "Cited only",
    "classified": "Classified",
    "lost": "Lost",
}

AUTHENTICITY = {
    "authenticated": "Authenticated",
    "accepted": "Accepted",
    "unassessed": "Not yet assessed",
    "disputed": "Disputed",
    "doubtful": "Doubtful",
    "forged": "Forged",
}

CREDIBILITY = {
    "confirmed": "Confirmed by independent evidence",
    "not_assessed": "Not assessed",
    "uncorroborated": "Uncorroborated",
    "doubtful": "Doubtful",
    "mistaken": "Shown mistaken or misread",
    "retracted": "Retracted",
}


def choice(value, words):
    """(value, label) for a TextChoices or strength enum member: `words[value]`."""
    return value, words[value]
