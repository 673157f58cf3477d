"""Tokenizer rules for typewritten forms.

Forms glue labels to values (`DOB:03/14/52`, `SID#123456`, `NO.8412CR001234`) and numbers to
units (`2YRS`); an entity must start and end on a token boundary, so these are split. Whole
codes (`C265S13A`, `8412CR001234`, `03/14/52`) stay one token.
"""

from __future__ import annotations

import spacy
from spacy.util import compile_infix_regex, compile_prefix_regex

_EXTRA_INFIXES = [
    r"[:;#=]",                                   # label:value, SID#123, a;b
    r"(?<=[A-Za-z]{2}\.)(?=[0-9])",              # NO.8412CR001234 (but not c.90: one letter)
    r"(?<=[0-9])(?=(?:YRS?|YEARS?|MOS?|MONTHS?|DAYS?|DYS|WKS?|WEEKS?|HRS?)\b)",  # 2YRS, 6MOS
    r"(?<=[0-9])(?=(?:yrs?|mos?|days?)\b)",
    r"(?<=[A-Za-z0-9])/(?=[A-Z]{2,}\b)",        # M/B, DATE/PLACE (codes like 265/13A keep their slash)
    r",(?=[A-Za-z])",                            # HALL,ARTHUR
]
_EXTRA_PREFIXES = [r"§", r"#", r"\$"]


def customize(nlp: spacy.Language) -> spacy.Language:
    """Add the form rules to `nlp`'s tokenizer in place and return `nlp`."""
    infixes = list(nlp.Defaults.infixes) + _EXTRA_INFIXES
    prefixes = _EXTRA_PREFIXES + list(nlp.Defaults.prefixes)
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    nlp.tokenizer.prefix_search = compile_prefix_regex(prefixes).search
    return nlp


@spacy.registry.callbacks("crosstrack.tokenizer.v1")
def make_customizer():
    """Config hook ([initialize.before_init]) so `spacy train` uses the same tokenizer."""
    return customize


def make_tokenizer(nlp: spacy.Language):
    return customize(nlp).tokenizer
