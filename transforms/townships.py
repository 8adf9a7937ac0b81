"""The list of China's township-level units (data/townships.csv): is a name read in a report a real township?

A pattern reads `X镇` out of `为我镇`, `组织镇村干部` or `印制X镇…` as readily as out of a title; the list tells a
real name from words run together, and finds the name inside such a run (`印制北屏乡…` -> 北屏乡). Street offices
are written both ways (黄石街 for 黄石街道), so either form confirms the other. Read once on first use.
"""
from __future__ import annotations

from functools import cache
from importlib import resources

import jieba.posseg

# parts of speech (jieba's tag set) of words that run on into a name but never begin one: verbs, prepositions,
# pronouns, adverbs, conjunctions, particles, adjectives (印制北屏乡 is 北屏乡; 银杏大街街道 stays whole)
_RUN_ON_TAGS = ("v", "p", "r", "d", "c", "u", "a", "f")
_FUNCTION_TAGS = ("v", "p", "r", "d", "c", "u")   # words that never are a whole name or start one


@cache
def township_counties() -> dict[str, frozenset[str]]:
    """Township name -> the county codes that have a township of that name (城关镇 is in hundreds)."""
    rows = resources.files("transforms").joinpath("data/townships.csv").read_text(encoding="utf-8")
    found: dict[str, set[str]] = {}
    for line in rows.splitlines():
        if not line or line.startswith("#") or line.startswith("name,"):
            continue
        name, county = line.split(",", 1)
        found.setdefault(name, set()).add(county)
    return {name: frozenset(codes) for name, codes in found.items()}


def is_township(name: str, extra: frozenset[str] = frozenset()) -> bool:
    """True when `name` (or its other street-office form, X街 / X街道) is a known township or in `extra`."""
    known = township_counties()
    forms = {name}
    if name.endswith("街道"):
        forms.add(name[:-1])
    elif name.endswith("街"):
        forms.add(name + "道")
    return any(f in known or f in extra for f in forms)


@cache
def _word_tags() -> dict[str, str]:
    dt = jieba.posseg.dt
    return dt.word_tag_tab


def runs_on(prefix: str) -> bool:
    """True when the characters before a known name are words that do not belong to it: a verb, preposition or
    pronoun ends them (组织, 为, 在, 现将), or the dictionary does not know them as one word at all."""
    tags = _word_tags()
    for start in range(len(prefix)):
        tag = tags.get(prefix[start:])
        if tag is not None:
            return tag.startswith(_RUN_ON_TAGS)
    return True


def starts_with_function_word(words: str) -> bool:
    """True when `words` is one dictionary word tagged as a verb, preposition, pronoun, adverb or the like
    (完成, 推进, 为). Adjectives are not: 新兴, 太平 and 兴隆 name many townships."""
    return _tagged(words, _FUNCTION_TAGS)


def is_run_on_word(words: str) -> bool:
    """True when `words` is one dictionary word that runs on before a name but never begins one (积极, 完成)."""
    return _tagged(words, _RUN_ON_TAGS)


def is_verb(word: str) -> bool:
    """True when `word` is one dictionary word tagged as a verb (聘请, 担任)."""
    return _tagged(word, ("v",))


def _tagged(word: str, tags: tuple[str, ...]) -> bool:
    """True when `word` is one dictionary word whose part of speech starts with one of `tags`."""
    tag = _word_tags().get(word)
    return tag is not None and tag.startswith(tags)
