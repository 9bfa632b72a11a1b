"""Public records in the formats other programs read: citations for reference managers
(citations.py: BibTeX, RIS, CSL-JSON, the Chicago note, the source page's Highwire
tags and schema.org JSON-LD) and W3C PROV for a claim's provenance (prov.py).

Built from records already read (reader/views/exports.py reads them), no queries
here. Only public records are handed in: the views apply claims/visibility.py."""
