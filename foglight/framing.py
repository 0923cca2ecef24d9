"""The framing stage: whom an article quotes, which loaded terms it uses, and where the
writer speaks in their own voice.

Runs over the same parsed Doc as extraction and returns an ``ArticleFraming``. Everything
it finds keeps its sentence, so every indicator of ``foglight outlets`` can be checked
against the text. The word lists are data: ``foglight/data/framing/*.yml``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
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
from foglight.nlp import lowercase, span_text
from foglight.places import find_places
from foglight.vocab import Vocabulary, fold_case, load_data, vocabulary

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
# Every character that opens or closes a quotation.
_QUOTE_MARKS = re.compile(f'[{_OPENING_QUOTES}{_CLOSING_QUOTES}"‘’]')


def _words(items: Iterable[Any]) -> tuple[str, ...]:
    return tuple(str(item).lower() for item in items)


@dataclass(frozen=True)
class SourceVocabulary:
    """framing/sources.yml and framing/opinion.yml, shaped for matching."""

    people: dict[str, tuple[Side, str]]  # fold_case(name) → (side, surname as written)
    people_names: re.Pattern[str]  # any of the names, whole words, in fold_case text
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
    # Single words of the official, media and expert lists: a head noun that is one of
    # them is a title ("Ministry"), never a person's surname.
    cue_words: frozenset[str]
    russian_installed: tuple[str, ...]
    demonyms: dict[str, str | None]  # case-sensitive → ISO2 (None: Western, no one state)
    actor_names: dict[str, str]  # case-sensitive → ISO2
    speech_verbs: frozenset[str]
    quoting_verbs: frozenset[str]  # verbs whose object, not subject, is the source
    according_to: tuple[str, ...]
    pronouns: frozenset[str]
    first_person: frozenset[str]  # lowercased
    call_to_action: tuple[str, ...]
    not_imperative: frozenset[str]
    not_evaluative: frozenset[str]


@lru_cache(maxsize=1)
def source_vocabulary() -> SourceVocabulary:
    data = load_data("framing/sources.yml")
    opinion = load_data("framing/opinion.yml")
    sides = load_data("vocab/sides.yml")
    base: Vocabulary = vocabulary()
    people = {
        fold_case(str(name)): (Side(side), str(name).split()[-1])
        for side, names in data["people"].items()
        for name in names
    }
    demonyms: dict[str, str | None] = {k: str(v) for k, v in sides["demonyms"].items()}
    demonyms.update(data["western_demonyms"])
    actor_names = {name: code for code, names in sides["actor_names"].items() for name in names}
    speech = frozenset(_words(data["speech_verbs"])) | base.reporting_verbs
    return SourceVocabulary(
        people=people,
        people_names=_any_case(_names_pattern(people).pattern, people),
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
        cue_words=frozenset(
            w
            for w in (
                *_words(data["official"]),
                *_words(data["media"]["cues"]),
                *_words(data["expert"]["cues"]),
            )
            if " " not in w
        ),
        russian_installed=_words(data["russian_installed"]),
        demonyms=demonyms,
        actor_names=actor_names,
        speech_verbs=speech,
        quoting_verbs=frozenset(_words(data["quoting_verbs"])),
        according_to=base.according_to,
        pronouns=base.pronouns,
        first_person=frozenset(_words(opinion["first_person"])),
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


def _any_case(pattern: str, words: Iterable[str]) -> re.Pattern[str]:
    """``pattern`` of the lowercase ``words``, compiled to find them in any case in text
    that went through ``fold_case``: case-sensitively when the words are ASCII, which is
    what IGNORECASE would find and several times faster."""
    ascii_only = all(word.isascii() for word in words)
    return re.compile(pattern, 0 if ascii_only else re.IGNORECASE)


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
        # Known people named in full somewhere in the article may be cited by surname.
        self.surnames: dict[str, Affiliation] = {}
        # The names are keyed as they fold ("İ" lowercases to two characters).
        for match in vocab.people_names.finditer(fold_case(text)):
            side, surname = vocab.people[match.group()]
            self.surnames[surname] = _known(side)
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
            and head.lower_ not in v.cue_words
            else None
        )
        titles = [title for title in v.official_cues if f" {title} " in padded]
        # Unnamed sources first: "a source close to Vladimir Putin" is anonymous.
        if _has_phrase(padded, v.anonymous):
            return Affiliation(Side.ANONYMOUS, self._country(phrase, padded))
        name = _name_of(head)
        person = v.people_names.search(fold_case(name))
        if person is not None:
            side = v.people[person.group()][0]
            return self._remember(titles, surname, _known(side))
        for token in phrase:
            # The tagger often takes a lone surname for a common noun ("Giles said").
            if token.text[:1].isupper() and token.text in self.surnames:
                return self.surnames[token.text]
        if v.media_names.search(text) or _has_phrase(padded, v.media_cues):
            return self._remember(titles, surname, Affiliation(Side.MEDIA, None))
        if v.expert_names.search(text) or _has_phrase(padded, v.expert_cues):
            return self._remember(titles, surname, Affiliation(Side.EXPERT, None))
        found_body = v.body_names.search(text)
        body = found_body.group() if found_body else None
        country = v.bodies[body] if body else self._country(phrase, padded)
        # "Western officials", "European diplomats": no one state, but the West.
        western = any(t.text in v.demonyms and v.demonyms[t.text] is None for t in phrase)
        if titles or body or self._names_a_state(phrase):
            if country is not None or body or western:
                found = Affiliation(self._side_of(country), country)
                return self._remember(titles, surname, found)
            for title in titles:
                if title in self.titles:
                    return self.titles[title]
            if _has_phrase(padded, v.local_titles):
                local = self._country_before(phrase)
                if local is not None:
                    return self._remember(titles, surname, Affiliation(self._side_of(local), local))
            return Affiliation(Side.OTHER, None)
        if head.lower_ in v.unattributed:
            return Affiliation(Side.ANONYMOUS, country)
        named = head.pos_ == "PROPN" or head.ent_type_ in ("PERSON", "ORG", "NORP", "GPE")
        if named or _has_phrase(padded, v.other_speakers) or country is not None:
            return Affiliation(Side.OTHER, country)
        return None

    def _remember(self, titles: list[str], surname: str | None, found: Affiliation) -> Affiliation:
        if surname:
            self.surnames[surname] = found
        if found.side in _OFFICIAL_COUNTRY:
            for title in titles:
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
        if _has_phrase(padded, v.russian_installed):
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


def _known(side: Side) -> Affiliation:
    """A known person's affiliation: their side, and its state when it has one."""
    return Affiliation(side, _OFFICIAL_COUNTRY.get(side))


class QuoteMask:
    """Character ranges of a text that lie inside quotation marks, paragraph by paragraph
    (an unclosed quote ends with its paragraph, as in print). Double marks (straight, curly,
    guillemets) and curly single marks; a ’ before a letter is an apostrophe."""

    def __init__(self, text: str) -> None:
        ranges: list[tuple[int, int]] = []
        offset = 0
        for paragraph in text.split("\n"):
            double: int | None = None
            single: int | None = None
            for mark in _QUOTE_MARKS.finditer(paragraph):
                i, ch = mark.start(), mark.group()
                if double is None and single is None and ch in _OPENING_QUOTES + '"':
                    double = offset + i + 1
                elif double is not None and ch in _CLOSING_QUOTES + '"':
                    ranges.append((double, offset + i))
                    double = None
                elif double is None and single is None and ch == "‘":
                    single = offset + i + 1
                elif single is not None and ch == "’" and not paragraph[i + 1 : i + 2].isalpha():
                    ranges.append((single, offset + i))
                    single = None
            opened = double if double is not None else single
            if opened is not None:
                ranges.append((opened, offset + len(paragraph)))
            offset += len(paragraph) + 1
        self.text = text
        # The ranges are disjoint and in order, so both their starts and ends are sorted.
        self.starts = [r[0] for r in ranges]
        self.ends = [r[1] for r in ranges]
        self.ranges = ranges
        # Whether the quotation at an index is speech, by scare-quote length.
        self._speech: dict[tuple[int, int], bool] = {}

    def _index_at(self, char: int) -> int | None:
        at = bisect_right(self.starts, char) - 1
        if at >= 0 and char < self.ranges[at][1]:
            return at
        return None

    def quoted(self, char: int) -> bool:
        return self._index_at(char) is not None

    def quotes_within(self, start: int, end: int) -> bool:
        """Whether a quotation overlaps the characters [start, end)."""
        at = bisect_right(self.ends, start)
        return at < len(self.ranges) and self.ranges[at][0] < end

    def quoted_speech(self, char: int, scare_max: int) -> bool:
        """Inside a quotation of a source's words, not the writer's: longer than a scare
        quote, or a sentence of its own (it ends with punctuation: "We will respond,")."""
        at = self._index_at(char)
        if at is None:
            return False
        speech = self._speech.get((at, scare_max))
        if speech is None:
            start, end = self.ranges[at]
            quoted = self.text[start:end].rstrip()
            speech = len(quoted.split()) > scare_max or quoted.endswith((",", ".", "?", "!"))
            self._speech[at, scare_max] = speech
        return speech

    def has_speech(self, sent: Span, scare_max: int) -> bool:
        return self.quotes_within(sent.start_char, sent.end_char) and any(
            self.quoted_speech(t.idx, scare_max) for t in sent if t.is_alpha
        )


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
                (_any_case(rf"(?<![\w-])(?:{pattern})(?![\w-])", alternatives), forms)
            )

    def find(self, text: str) -> list[tuple[_Term, str, int]]:
        found = []
        folded = fold_case(text)
        for pattern, forms in self.patterns:
            for match in pattern.finditer(folded):
                written = text[match.start() : match.end()]
                term = forms.get(_form_key(written))
                if term is not None:
                    found.append((term, written, match.start()))
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
        # (sentence index, speaker, side, index of the quote that named the speaker)
        recent: list[tuple[int, str, Affiliation, int]] = []
        found: list[Quote] = []
        unresolved: list[tuple[int, Span]] = []
        copied_from: dict[int, int] = {}  # quote by pronoun → quote that named the speaker
        for index, sent in enumerate(sents):
            # A quotation no longer than a scare quote is a label or a title ("the 'Army of
            # Drones'"), not a speaker's words: one threshold with the loaded-language
            # indicator (framing/loaded.yml).
            direct = mask.has_speech(sent, self.loaded.scare_quote_max)
            seen: set[str] = set()
            for cue, head, cited in self._sources(sent, mask, direct):
                phrase = None
                origin = len(found)
                if head.lower_ in self.vocab.pronouns:
                    earlier = [r for r in recent if index - r[0] <= PRONOUN_REACH]
                    if not earlier:
                        continue
                    _, speaker, affiliation, origin = earlier[-1]
                else:
                    phrase = _speaker_phrase(head)
                    classified = None if phrase is None else classifier.classify(phrase)
                    if classified is None:
                        continue
                    affiliation = classified
                    speaker = _display_name(head, self.vocab)
                if cited:
                    kind = QuoteKind.ACCORDING_TO
                elif direct and not mask.quoted(cue.idx):
                    kind = QuoteKind.DIRECT
                else:
                    kind = QuoteKind.INDIRECT
                if speaker in seen:
                    continue
                seen.add(speaker)
                recent.append((index, speaker, affiliation, origin))
                if affiliation.side is Side.OTHER and phrase is not None:
                    unresolved.append((len(found), phrase))
                if origin != len(found):
                    copied_from[len(found)] = origin
                found.append(
                    Quote(
                        article_id=article_id,
                        speaker=speaker,
                        side=affiliation.side,
                        kind=kind,
                        cue=_cue_text(cue),
                        sentence=span_text(sent).strip(),
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
        for at, origin in copied_from.items():
            named = found[origin]
            found[at] = replace(found[at], side=named.side, country=named.country)
        return found

    def _sources(
        self, sent: Span, mask: QuoteMask, direct: bool
    ) -> list[tuple[Token, Token, bool]]:
        """(cue, head of the source's noun phrase, whether the source is cited rather than
        speaking: "according to X", "citing X", "quoted X") for each attribution."""
        v = self.vocab
        out: list[tuple[Token, Token, bool]] = []
        lowered = lowercase(sent.doc)[sent.start : sent.end]
        padded = " " + " ".join(lowered) + " "
        for phrase in v.according_to:
            words = phrase.split()
            if f" {' '.join(words)} " not in padded:
                continue  # most sentences cite no one
            for i in range(len(lowered) - len(words) + 1):
                if lowered[i : i + len(words)] != words:
                    continue
                cue = sent[i + len(words) - 1]
                objects = [c for c in cue.children if c.dep_ in ("pobj", "dobj")]
                if objects and not mask.quoted(cue.idx):
                    out.append((cue, objects[0], True))
        for token, word in zip(sent, lowered, strict=True):
            if word not in v.speech_verbs or token.pos_ not in ("VERB", "AUX"):
                continue
            if mask.quoted(token.idx) or any(c.dep_ == "neg" for c in token.children):
                continue
            if word in v.quoting_verbs:
                objects = [c for c in token.children if c.dep_ == "dobj"]
                if objects:
                    out.append((token, objects[0], True))
                continue
            clause = any(c.dep_ in ("ccomp", "xcomp", "parataxis") for c in token.children)
            if not (direct or clause or token.dep_ in ("parataxis", "ccomp")):
                continue
            # One speaker per verb: a second subject is the parser splitting an appositive
            # ("The state news agency TASS reported ...").
            subject = next((c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subject is None:
                continue
            # "Mick Ryan, ..., who said": the relative pronoun stands for its antecedent.
            if subject.lower_ in ("who", "which", "that") and token.dep_ == "relcl":
                out.append((token, token.head, False))
            else:
                out.append((token, subject, False))
        return out

    # -- terminology ----------------------------------------------------------------------

    def _terms(
        self, text: str, sentence_at: Callable[[int], Span], mask: QuoteMask, article_id: str
    ) -> list[TermUse]:
        out = []
        names: list[Span] | None = None
        for term, written, start in self.terms.find(text):
            sent = sentence_at(start)
            if names is None:
                names = [e for e in sent.doc.ents if e.label_ in _NAME_ENTITIES]
            if _inside_longer_name(names, sent, start, start + len(written)):
                continue
            out.append(
                TermUse(
                    article_id=article_id,
                    term=term.term,
                    category=term.category,
                    camp=term.camp,
                    text=written,
                    sentence=span_text(sent).strip(),
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
        scare_max = self.loaded.scare_quote_max
        out: list[OpinionSignal] = []

        def signal(kind: SignalKind, text: str, sentence: str, start: int) -> None:
            out.append(OpinionSignal(article_id, kind, text, sentence, start))

        for sent in sents:
            if mask.quotes_within(sent.start_char, sent.end_char):
                own = [
                    t for t in sent if not mask.quoted_speech(t.idx, scare_max) and not t.is_space
                ]
            else:
                own = [t for t in sent if not t.is_space]
            if not own or is_page_noise(sent, self.base):
                continue
            sentence = span_text(sent).strip()
            lowered = lowercase(sent.doc)
            for token in own:
                # A pronoun, not "World War I" or "the US".
                if lowered[token.i] in v.first_person and token.pos_ == "PRON":
                    signal(SignalKind.FIRST_PERSON, token.text, sentence, token.idx)
            words = [
                w for w in self.loaded.words(sent) if not mask.quoted_speech(w.start, scare_max)
            ]
            for word in words:
                if word.category not in v.not_evaluative:
                    signal(SignalKind.EVALUATIVE, word.text, sentence, word.start)
            if self.loaded.is_loaded(sent, words):
                signal(SignalKind.LOADED_SENTENCE, sentence, sentence, sent.start_char)
            last = own[-1]
            if last.text == "?" or (last.is_punct and len(own) > 1 and own[-2].text == "?"):
                signal(SignalKind.RHETORICAL_QUESTION, sentence, sentence, sent.start_char)
            appeal = self._call_to_action(sent, own)
            if appeal is not None:
                signal(SignalKind.CALL_TO_ACTION, appeal, sentence, sent.start_char)
        return out

    def _call_to_action(self, sent: Span, own: Sequence[Token]) -> str | None:
        lowered = lowercase(sent.doc)
        padded = " " + " ".join(lowered[t.i] for t in own) + " "
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


# Entity types whose words are names: a term inside one is part of the name.
_NAME_ENTITIES = frozenset({"ORG", "FAC", "EVENT", "WORK_OF_ART", "LAW", "PRODUCT"})


def _inside_longer_name(names: Sequence[Span], sent: Span, start: int, end: int) -> bool:
    """Whether the characters [start, end) lie inside a longer name of the sentence;
    ``names`` are the doc's entities of the _NAME_ENTITIES types."""
    return any(
        sent.start <= ent.start
        and ent.end <= sent.end
        and ent.start_char <= start
        and end <= ent.end_char
        and ent.end_char - ent.start_char > end - start
        for ent in names
    )


def _name_of(head: Token) -> str:
    """The name a head noun carries: "Vladimir Putin" in "President Vladimir Putin"."""
    parts = [c for c in head.children if c.dep_ in ("compound", "flat") and c.i < head.i]
    return " ".join(t.text for t in [*parts, head])


def _display_name(head: Token, vocab: SourceVocabulary) -> str:
    """The speaker as a reader names them: the noun phrase without appositive or clauses."""
    keep = [head]
    # "The governor of Russia's Ryazan region" keeps its "of"; "a video of a night attack
    # on ..." does not: only a title's complement names the speaker.
    titled = head.lower_ in vocab.official_cues or head.ent_type_ == "ORG"
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
