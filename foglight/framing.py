"""The framing stage: whom an article quotes, which loaded terms it uses, and where the
writer speaks in their own voice.

Runs over the same parsed Doc as extraction and returns an ``ArticleFraming``. Everything
it finds keeps its sentence, so every indicator of ``foglight outlets`` can be checked
against the text. The word lists are data: ``foglight/data/framing/*.yml``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from spacy.tokens import Doc, Span, Token

from foglight.extract import is_page_noise
from foglight.loaded import LoadedLanguage
from foglight.models import (
    Article,
    ArticleFraming,
    OpinionSignal,
    PlacePrecision,
    Quote,
    QuoteKind,
    Side,
    SignalKind,
    TermUse,
)
from foglight.places import find_places
from foglight.vocab import Vocabulary, load_data, vocabulary

# A quotation shorter than this is a scare quote or a title ("the 'Army of Drones'"), not a
# speaker's words: three words is the shortest clause ("It is not").
MIN_QUOTE_WORDS = 3

# How far back a pronoun subject ("he said") looks for the speaker it stands for. Four
# sentences covers a paragraph of quotes after the sentence that introduced the speaker;
# further back the pronoun more likely refers to someone else.
PRONOUN_REACH = 4

# Longer "speaker" phrases are parse errors that swallowed a clause.
MAX_SPEAKER_TOKENS = 30

# An imperative shorter than this is a caption or a heading ("Read more").
MIN_IMPERATIVE_TOKENS = 4

_OPENING_QUOTES = "“«„"
_CLOSING_QUOTES = "”»"


def _words(items: Iterable[Any]) -> tuple[str, ...]:
    return tuple(str(item).lower() for item in items)


@dataclass(frozen=True)
class SourceVocabulary:
    """framing/sources.yml and framing/opinion.yml, shaped for matching."""

    people: dict[str, Side]  # full name, lowercased
    anonymous: tuple[str, ...]
    media_names: re.Pattern[str]  # case-sensitive
    media_cues: tuple[str, ...]
    expert_names: re.Pattern[str]  # case-sensitive
    expert_cues: tuple[str, ...]
    official_cues: tuple[str, ...]
    other_speakers: tuple[str, ...]
    unattributed: frozenset[str]
    western_countries: frozenset[str]
    bodies: dict[str, str | None]  # case-sensitive → ISO2 (None: a Western alliance)
    body_names: re.Pattern[str]
    local_titles: tuple[str, ...]
    russian_installed: tuple[str, ...]
    demonyms: dict[str, str | None]  # case-sensitive → ISO2 (None: Western, no one state)
    actor_names: dict[str, str]  # case-sensitive → ISO2
    speech_verbs: frozenset[str]
    quoting_verbs: frozenset[str]  # verbs whose object, not subject, is the source
    according_to: tuple[str, ...]
    pronouns: frozenset[str]
    first_person: frozenset[str]
    call_to_action: tuple[str, ...]
    not_imperative: frozenset[str]
    not_evaluative: frozenset[str]


@lru_cache(maxsize=1)
def source_vocabulary() -> SourceVocabulary:
    data = load_data("framing/sources.yml")
    opinion = load_data("framing/opinion.yml")
    sides = load_data("vocab/sides.yml")
    base: Vocabulary = vocabulary()
    people = {name.lower(): Side(side) for side, names in data["people"].items() for name in names}
    demonyms: dict[str, str | None] = {k: str(v) for k, v in sides["demonyms"].items()}
    demonyms.update(data["western_demonyms"])
    actor_names = {name: code for code, names in sides["actor_names"].items() for name in names}
    speech = frozenset(_words(data["speech_verbs"])) | base.reporting_verbs
    return SourceVocabulary(
        people=people,
        anonymous=_words(data["anonymous"]),
        media_names=_names_pattern(data["media"]["names"]),
        media_cues=_words(data["media"]["cues"]),
        expert_names=_names_pattern(data["expert"]["names"]),
        expert_cues=_words(data["expert"]["cues"]),
        official_cues=_words(data["official"]),
        other_speakers=_words(data["other_speakers"]),
        unattributed=frozenset(_words(data["unattributed"])),
        western_countries=frozenset(data["western_countries"]),
        bodies=dict(data["bodies"]),
        body_names=_names_pattern(data["bodies"]),
        local_titles=_words(data["local_titles"]),
        russian_installed=_words(data["russian_installed"]),
        demonyms=demonyms,
        actor_names=actor_names,
        speech_verbs=speech,
        quoting_verbs=frozenset(("quote", "quoted", "quotes", "cite", "cited", "cites")),
        according_to=base.according_to,
        pronouns=base.pronouns,
        first_person=frozenset(str(w) for w in opinion["first_person"]),
        call_to_action=_words(opinion["call_to_action"]),
        not_imperative=frozenset(_words(opinion["not_imperative"])),
        not_evaluative=frozenset(str(c) for c in opinion["not_evaluative"]),
    )


def _has_phrase(padded: str, phrases: Iterable[str]) -> bool:
    """True when ``padded`` (words joined by single spaces, with a space at either end)
    contains one of the phrases as whole words."""
    return any(f" {p} " in padded for p in phrases)


def _names_pattern(names: Iterable[str]) -> re.Pattern[str]:
    """One case-sensitive pattern for whole-word names ("AP" but not "APC")."""
    alternatives = sorted((re.escape(n) for n in names), key=len, reverse=True)
    return re.compile(rf"(?<!\w)(?:{'|'.join(alternatives)})(?!\w)")


@dataclass(frozen=True)
class Affiliation:
    side: Side
    country: str | None


class SourceClassifier:
    """Sorts a speaker's noun phrase into a ``Side``; remembers people and titles it has
    classified so that a later "Giles said" or "the governor said" keeps their side. One
    instance per article."""

    def __init__(self, vocab: SourceVocabulary, text: str) -> None:
        self.vocab = vocab
        lowered = text.lower()
        # Known people named in full somewhere in the article may be cited by surname.
        self.surnames: dict[str, Affiliation] = {
            name.split()[-1].title(): Affiliation(side, _OFFICIAL_COUNTRY.get(side))
            for name, side in vocab.people.items()
            if name in lowered
        }
        self.titles: dict[str, Affiliation] = {}

    def classify(self, phrase: Span) -> Affiliation | None:
        """The speaker's side, or None when the phrase names no one who can speak ("Early
        signals suggest", "Only time will tell")."""
        v = self.vocab
        text = phrase.text
        padded = " " + " ".join(t.lower_ for t in phrase) + " "
        head = phrase.root
        # A person's name heads the phrase: "Keir Giles, a fellow at ..." (not "Ukraine's
        # Ministry of Defence", whose head is a title).
        surname = (
            head.text
            if (head.ent_type_ == "PERSON" or head.pos_ == "PROPN")
            and not _has_phrase(f" {head.lower_} ", v.official_cues + v.media_cues + v.expert_cues)
            else None
        )
        for name, side in v.people.items():
            if f" {name} " in padded:
                found = Affiliation(side, _OFFICIAL_COUNTRY.get(side))
                return self._remember(padded, surname, found)
        for token in phrase:
            # The tagger often takes a lone surname for a common noun ("Giles said").
            if token.text[:1].isupper() and token.text in self.surnames:
                return self.surnames[token.text]
        if _has_phrase(padded, v.anonymous):
            return Affiliation(Side.ANONYMOUS, self._country(phrase, padded))
        if v.media_names.search(text) or _has_phrase(padded, v.media_cues):
            return self._remember(padded, surname, Affiliation(Side.MEDIA, None))
        if v.expert_names.search(text) or _has_phrase(padded, v.expert_cues):
            return self._remember(padded, surname, Affiliation(Side.EXPERT, None))
        found_body = v.body_names.search(text)
        body = found_body.group() if found_body else None
        country = v.bodies[body] if body else self._country(phrase, padded)
        titled = _has_phrase(padded, v.official_cues)
        if titled or body or self._names_a_state(phrase):
            if country is not None or body:
                found = Affiliation(self._side_of(country), country)
                return self._remember(padded, surname, found)
            for title in v.official_cues:
                if f" {title} " in padded and title in self.titles:
                    return self.titles[title]
            if _has_phrase(padded, v.local_titles):
                local = self._country_before(phrase)
                if local is not None:
                    return self._remember(padded, surname, Affiliation(self._side_of(local), local))
            return Affiliation(Side.OTHER, None)
        if head.lower_ in v.unattributed:
            return Affiliation(Side.ANONYMOUS, country)
        named = head.pos_ == "PROPN" or head.ent_type_ in ("PERSON", "ORG", "NORP", "GPE")
        if named or _has_phrase(padded, v.other_speakers) or country is not None:
            return Affiliation(Side.OTHER, country)
        return None

    def _remember(self, padded: str, surname: str | None, found: Affiliation) -> Affiliation:
        if surname:
            self.surnames[surname] = found
        if found.side in _OFFICIAL_COUNTRY:
            for title in self.vocab.official_cues:
                if f" {title} " in padded:
                    self.titles[title] = found
        return found

    def _names_a_state(self, phrase: Span) -> bool:
        """ "Russia said", "Moscow claimed", "the United States has claimed": the state
        itself speaks."""
        words = [t for t in phrase if t.dep_ != "det"]
        name = " ".join(t.text for t in words)
        if name in self.vocab.actor_names:
            return True
        return (
            any(
                p.start == words[0].i
                and p.end == words[-1].i + 1
                and p.entry.precision is PlacePrecision.COUNTRY
                for p in find_places(phrase.doc)
            )
            if words
            else False
        )

    @staticmethod
    def _country_before(phrase: Span) -> str | None:
        """The country of the nearest town, region or facility named before the phrase."""
        before = [
            p
            for p in find_places(phrase.doc)
            if p.end <= phrase.start and p.entry.precision is not PlacePrecision.COUNTRY
        ]
        return before[-1].entry.country if before else None

    def _side_of(self, country: str | None) -> Side:
        if country == "RU":
            return Side.RUSSIAN_OFFICIAL
        if country == "UA":
            return Side.UKRAINIAN_OFFICIAL
        if country is None or country in self.vocab.western_countries:
            # No country but a Western alliance ("NATO") or demonym ("Western officials").
            return Side.WESTERN_OFFICIAL
        return Side.OTHER

    def _country(self, phrase: Span, padded: str) -> str | None:
        """The state the phrase speaks for: Russian-installed cues first, then the earliest
        demonym, actor name or gazetteer place in the phrase."""
        v = self.vocab
        if _has_phrase(padded, v.russian_installed) or "-installed" in padded:
            return "RU"
        places = {
            p.start: p.entry.country
            for p in find_places(phrase.doc)
            if phrase.start <= p.start < phrase.end
        }
        for token in phrase:
            if token.text in v.demonyms and v.demonyms[token.text] is not None:
                return v.demonyms[token.text]
            if token.text in v.actor_names:
                return v.actor_names[token.text]
            if places.get(token.i):
                return places[token.i]
        return None


_OFFICIAL_COUNTRY: dict[Side, str | None] = {
    Side.RUSSIAN_OFFICIAL: "RU",
    Side.UKRAINIAN_OFFICIAL: "UA",
    Side.WESTERN_OFFICIAL: None,
}


class QuoteMask:
    """Character ranges of a text that lie inside quotation marks, paragraph by paragraph
    (an unclosed quote ends with its paragraph, as in print)."""

    def __init__(self, text: str) -> None:
        ranges: list[tuple[int, int]] = []
        offset = 0
        for paragraph in text.split("\n"):
            opened: int | None = None
            for i, ch in enumerate(paragraph):
                if ch in _OPENING_QUOTES or (ch == '"' and opened is None):
                    opened = offset + i + 1
                elif (ch in _CLOSING_QUOTES or ch == '"') and opened is not None:
                    ranges.append((opened, offset + i))
                    opened = None
            if opened is not None:
                ranges.append((opened, offset + len(paragraph)))
            offset += len(paragraph) + 1
        self.starts = [r[0] for r in ranges]
        self.ranges = ranges

    def quoted(self, char: int) -> bool:
        at = bisect_right(self.starts, char) - 1
        return at >= 0 and char < self.ranges[at][1]

    def quoted_words(self, sent: Span) -> int:
        return sum(1 for t in sent if t.is_alpha and self.quoted(t.idx))


@dataclass(frozen=True)
class _Term:
    term: str
    category: str
    camp: str


class TermMatcher:
    """Finds the terminology markers of framing/terms.yml in a text."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.patterns: list[tuple[re.Pattern[str], dict[str, _Term]]] = []
        for category, body in data.items():
            forms: dict[str, _Term] = {}
            for camp, terms in body.items():
                if camp == "note":
                    continue
                for term, variants in terms.items():
                    for form in [term, *(variants or [])]:
                        forms[_form_key(str(form))] = _Term(str(term), category, camp)
            alternatives = sorted(forms, key=len, reverse=True)
            pattern = "|".join(_form_pattern(f) for f in alternatives)
            self.patterns.append(
                (re.compile(rf"(?<![\w-])(?:{pattern})(?![\w-])", re.IGNORECASE), forms)
            )

    def find(self, text: str) -> list[tuple[_Term, str, int]]:
        found = []
        for pattern, forms in self.patterns:
            for match in pattern.finditer(text):
                term = forms.get(_form_key(match.group()))
                if term is not None:
                    found.append((term, match.group(), match.start()))
        found.sort(key=lambda item: item[2])
        return found


def _form_key(form: str) -> str:
    """One key for the spellings of a form: case, apostrophes, dashes and spaces folded."""
    form = form.lower().replace("’", "'")
    form = re.sub(r"[‐‑–-]", "-", form)
    return re.sub(r"\s+", " ", form)


def _form_pattern(form: str) -> str:
    out = []
    for ch in form:
        if ch == "'":
            out.append("['’]")
        elif ch == "-":
            out.append("[-‐‑–]")
        elif ch == " ":
            out.append(r"\s+")
        else:
            out.append(re.escape(ch))
    return "".join(out)


@lru_cache(maxsize=1)
def term_matcher() -> TermMatcher:
    return TermMatcher(load_data("framing/terms.yml"))


class Framer:
    """Finds quotes and their sources, terminology markers and opinion signals in a parsed
    article."""

    def __init__(
        self,
        sources: SourceVocabulary | None = None,
        terms: TermMatcher | None = None,
        loaded: LoadedLanguage | None = None,
    ) -> None:
        self.vocab = sources or source_vocabulary()
        self.base = vocabulary()
        self.terms = terms or term_matcher()
        self.loaded = loaded or LoadedLanguage()

    def frame(self, doc: Doc, article: Article) -> ArticleFraming:
        """``doc`` is the parse of ``article.text`` (Doc.text would rebuild that string
        from every token)."""
        text = article.text
        mask = QuoteMask(text)
        sents = list(doc.sents)
        starts = [s.start_char for s in sents]

        def sentence_at(char: int) -> Span:
            return sents[max(0, bisect_right(starts, char) - 1)]

        return ArticleFraming(
            quotes=tuple(self._quotes(text, sents, mask, article.id)),
            terms=tuple(self._terms(text, sentence_at, mask, article.id)),
            signals=tuple(self._signals(sents, mask, article.id)),
        )

    # -- quotes and sources -----------------------------------------------------------------

    def _quotes(
        self, text: str, sents: Sequence[Span], mask: QuoteMask, article_id: str
    ) -> list[Quote]:
        classifier = SourceClassifier(self.vocab, text)
        recent: list[tuple[int, str, Affiliation]] = []  # (sentence index, speaker, side)
        found: list[Quote] = []
        unresolved: list[tuple[int, Span]] = []
        for index, sent in enumerate(sents):
            direct = mask.quoted_words(sent) >= MIN_QUOTE_WORDS
            seen: set[str] = set()
            for cue, head in self._sources(sent, mask, direct):
                phrase = None
                if head.lower_ in self.vocab.pronouns:
                    earlier = [r for r in recent if index - r[0] <= PRONOUN_REACH]
                    if not earlier:
                        continue
                    _, speaker, affiliation = earlier[-1]
                else:
                    phrase = _speaker_phrase(head)
                    classified = None if phrase is None else classifier.classify(phrase)
                    if classified is None:
                        continue
                    affiliation = classified
                    speaker = _display_name(head)
                if cue.lower_ in ("to", "citing", "by") or cue.lower_ in self.vocab.quoting_verbs:
                    kind = QuoteKind.ACCORDING_TO
                elif direct and not mask.quoted(cue.idx):
                    kind = QuoteKind.DIRECT
                else:
                    kind = QuoteKind.INDIRECT
                if speaker in seen:
                    continue
                seen.add(speaker)
                recent.append((index, speaker, affiliation))
                if affiliation.side is Side.OTHER and phrase is not None:
                    unresolved.append((len(found), phrase))
                found.append(
                    Quote(
                        article_id=article_id,
                        speaker=speaker,
                        side=affiliation.side,
                        kind=kind,
                        cue=_cue_text(cue),
                        sentence=sent.text.strip(),
                        start=sent.start_char,
                        end=sent.end_char,
                        country=affiliation.country,
                    )
                )
        # A headline's "governor says" comes before the sentence that names the governor:
        # look the titles up again once the whole article has been read.
        for at, phrase in unresolved:
            again = classifier.classify(phrase)
            if again is not None and again.side is not Side.OTHER:
                found[at] = replace(found[at], side=again.side, country=again.country)
        return found

    def _sources(self, sent: Span, mask: QuoteMask, direct: bool) -> list[tuple[Token, Token]]:
        """(cue, head of the source's noun phrase) for each attribution in the sentence."""
        v = self.vocab
        out: list[tuple[Token, Token]] = []
        lowered = [t.lower_ for t in sent]
        for phrase in v.according_to:
            words = phrase.split()
            for i in range(len(lowered) - len(words) + 1):
                if lowered[i : i + len(words)] != words:
                    continue
                cue = sent[i + len(words) - 1]
                objects = [c for c in cue.children if c.dep_ in ("pobj", "dobj")]
                if objects and not mask.quoted(cue.idx):
                    out.append((cue, objects[0]))
        for token in sent:
            if token.lower_ not in v.speech_verbs or token.pos_ not in ("VERB", "AUX"):
                continue
            if mask.quoted(token.idx) or any(c.dep_ == "neg" for c in token.children):
                continue
            if token.lower_ in v.quoting_verbs:
                objects = [c for c in token.children if c.dep_ == "dobj"]
                if objects:
                    out.append((token, objects[0]))
                continue
            clause = any(c.dep_ in ("ccomp", "xcomp", "parataxis") for c in token.children)
            if not (direct or clause or token.dep_ in ("parataxis", "ccomp")):
                continue
            # One speaker per verb: a second subject is the parser splitting an appositive
            # ("The state news agency TASS reported ...").
            subject = next((c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subject is None:
                continue
            if subject.lower_ in ("who", "which", "that") and token.dep_ == "relcl":
                out.append((token, token.head))
            else:
                out.append((token, subject))
        return out

    # -- terminology ----------------------------------------------------------------------

    def _terms(
        self, text: str, sentence_at: Any, mask: QuoteMask, article_id: str
    ) -> list[TermUse]:
        out = []
        for term, written, start in self.terms.find(text):
            sent = sentence_at(start)
            out.append(
                TermUse(
                    article_id=article_id,
                    term=term.term,
                    category=term.category,
                    camp=term.camp,
                    text=written,
                    sentence=sent.text.strip(),
                    start=start,
                    quoted=mask.quoted(start),
                )
            )
        return out

    # -- the writer's own voice -----------------------------------------------------------

    def _signals(
        self, sents: Sequence[Span], mask: QuoteMask, article_id: str
    ) -> list[OpinionSignal]:
        v = self.vocab
        out: list[OpinionSignal] = []

        def signal(kind: SignalKind, text: str, sent: Span, start: int) -> None:
            out.append(OpinionSignal(article_id, kind, text, sent.text.strip(), start))

        for sent in sents:
            own = [t for t in sent if not mask.quoted(t.idx) and not t.is_space]
            if not own or is_page_noise(sent, self.base):
                continue
            for token in own:
                if token.text in v.first_person or (
                    token.lower_ in v.first_person and token.text not in ("US", "I")
                ):
                    signal(SignalKind.FIRST_PERSON, token.text, sent, token.idx)
            words = [w for w in self.loaded.words(sent) if not mask.quoted(w.start)]
            for word in words:
                if word.category not in v.not_evaluative:
                    signal(SignalKind.EVALUATIVE, word.text, sent, word.start)
            if self.loaded.is_loaded(sent, words):
                signal(SignalKind.LOADED_SENTENCE, sent.text.strip(), sent, sent.start_char)
            last = own[-1]
            if last.text == "?" or (last.is_punct and len(own) > 1 and own[-2].text == "?"):
                signal(SignalKind.RHETORICAL_QUESTION, sent.text.strip(), sent, sent.start_char)
            appeal = self._call_to_action(sent, own)
            if appeal is not None:
                signal(SignalKind.CALL_TO_ACTION, appeal, sent, sent.start_char)
        return out

    def _call_to_action(self, sent: Span, own: Sequence[Token]) -> str | None:
        padded = " " + " ".join(t.lower_ for t in own) + " "
        for phrase in self.vocab.call_to_action:
            if f" {phrase} " in padded:
                return phrase
        words = [t for t in own if not t.is_punct and not t.is_space]
        if len(words) < MIN_IMPERATIVE_TOKENS:
            return None
        first = words[0]
        if (
            first.tag_ == "VB"
            and first.dep_ == "ROOT"
            and first.lower_ not in self.vocab.not_imperative
            and not any(c.dep_ in ("nsubj", "nsubjpass", "aux") for c in first.children)
        ):
            return first.text
        return None


def _speaker_phrase(head: Token) -> Span | None:
    """The speaker's noun phrase with its appositive ("Yurii Ihnat, a spokesman for
    Ukraine's Air Force"), without a relative clause that would carry the quote itself."""
    if head.pos_ not in ("NOUN", "PROPN", "PRON") and head.ent_type_ == "":
        return None
    tokens = [head]
    stack = [c for c in head.children if c.dep_ not in ("relcl", "acl", "punct", "advcl")]
    while stack:
        node = stack.pop()
        tokens.append(node)
        stack.extend(c for c in node.children if c.dep_ not in ("relcl", "advcl"))
    start = min(t.i for t in tokens)
    end = max(t.i for t in tokens) + 1
    if end - start > MAX_SPEAKER_TOKENS:
        return None
    return head.doc[start:end]


def _display_name(head: Token) -> str:
    """The speaker as a reader names them: the noun phrase without appositive or clauses."""
    keep = [head]
    # "The governor of Russia's Ryazan region" keeps its "of"; "a video of a night attack
    # on ..." does not: only a title's complement names the speaker.
    titled = head.lower_ in source_vocabulary().official_cues
    stack = [
        c
        for c in head.children
        if c.dep_ not in ("appos", "relcl", "punct", "acl", "cc", "conj", "advcl", "prep")
        or (titled and c.dep_ == "prep" and c.lower_ in ("of", "for"))
    ]
    while stack:
        node = stack.pop()
        keep.append(node)
        stack.extend(
            c for c in node.children if c.dep_ not in ("appos", "relcl", "punct", "acl", "advcl")
        )
    start = min(t.i for t in keep)
    end = max(t.i for t in keep) + 1
    # Markdown emphasis around outlet names ("*Sky News*") is not part of the name.
    return head.doc[start:end].text.replace("*", "").replace("_", " ").strip(" ,.;:\"“”'")


def _cue_text(cue: Token) -> str:
    if cue.lower_ == "to" and cue.i > 0 and cue.doc[cue.i - 1].lower_ == "according":
        return "according to"
    if cue.lower_ == "by" and cue.i > 0:
        return f"{cue.doc[cue.i - 1].lower_} by"
    return cue.lower_
