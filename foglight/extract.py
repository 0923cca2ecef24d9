"""The extract stage: from a parsed article to the attacks it reports, one ``Mention`` per
attacked place.

The work is done per sentence, over the dependency parse:

1. An *event sentence* has an attack trigger (``vocab/triggers.yml``) that is realis: not
   under a modal, threat or condition, not negated, and not a general remark ("have been hit
   multiple times") unless the remark dates its strikes.
2. Each toponym in it gets a role from its place in the parse: target, actor ("Moscow
   said", "Kyiv has hit"), attribute ("Kyiv's policy", "Kremlin press service"), reference
   ("from the Ukrainian border", "south-east of Moscow"), speaker ("the governor of the
   Saratov region said") or dateline. Only targets become events; a target that contains
   another target ("Belbek airport in Sevastopol") is its locator and is dropped; a
   sentence listing three or more targets is an interception tally and gives none.
3. A sentence with a trigger but no target lends its facts (weapon, figures, attacker,
   date) to the nearest event before it; a vague place ("a major Russian port") gives a
   country-level event only if no specific event of that country can take it.
4. Mentions of one place on compatible dates merge within the article; the strongest date
   and the most specific values win, every sentence stays a mention.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from enum import Enum

from spacy.tokens import Doc, Span, Token

from foglight.dates import DateMention, find_dates
from foglight.geo import contains, place_breadth
from foglight.merge import date_strength
from foglight.models import (
    UNKNOWN_DATE,
    Article,
    Certainty,
    Count,
    EventDate,
    Mention,
    Outcome,
    Place,
    PlacePrecision,
    TargetType,
    Weapon,
)
from foglight.nlp import lowercase, span_text
from foglight.numbers import parse_count
from foglight.places import PlaceMention, find_places, gazetteer
from foglight.vocab import Vocabulary, vocabulary

# Triggers that alone do not show an attack ("damaged", "fire", "hit" in a sports sense):
# they count only beside a weapon word or a strong trigger.
WEAK_TRIGGERS = frozenset(
    {
        "damage",
        "damaged",
        "destroy",
        "destroyed",
        "fire",
        "impact",
        "crash",
        "crashed",
        "visited",
        "hit",
        "hits",
        "hitting",
        "target",
        "targeted",
        "targeting",
        "targets",
        "targetted",
        "launch",
        "launched",
        "launching",
        "send",
        "sent",
        "sending",
        "fired",
        "firing",
        "ignite",
        "ignited",
        "slam",
        "slammed",
        "blast",
        "blasted",
        "assault",
        "barrage",
    }
)

# Words of "shot down": an interception only with the particle.
SHOOT_WORDS = frozenset({"shot", "shoot", "shooting"})

# Verbs whose subject undergoes rather than acts: "Belgorod came under fire".
UNDERGO_VERBS = frozenset(
    {
        "come",
        "came",
        "comes",
        "suffer",
        "suffered",
        "suffers",
        "see",
        "saw",
        "sees",
        "face",
        "faced",
        "faces",
        "endure",
        "endured",
        "experience",
        "experienced",
        "burn",
        "burned",
        "burning",
        "shake",
        "shook",
    }
)

# Dependency relations through which a trigger inherits the modality of what governs it:
# "threatened [to strike]", "warned [that X could be hit]", "capable [of [hitting]]".
MODAL_PATH = frozenset({"xcomp", "ccomp", "pcomp", "prep", "pobj", "acomp", "conj", "advcl"})
# A trigger inside one of these is dated, not modalised: "following drone strikes on Kazan".
TEMPORAL_PREPOSITIONS = frozenset(
    {"after", "following", "before", "since", "amid", "despite", "during", "until"}
)

# Officials whose place names their jurisdiction ("the Belgorod governor said").
OFFICIAL_TITLES = frozenset(
    {
        "governor",
        "mayor",
        "head",
        "administration",
        "authorities",
        "officials",
        "governors",
        "police",
        "prosecutor",
        "emergencies",
        "ministry",
    }
)

# Nouns after "of"/"from" that make the place a reference point, not the scene:
# "115 miles south-west of Moscow", "the border with Luhansk", "the hometown of ...".
REFERENCE_HEADS = frozenset(
    {
        "border",
        "borders",
        "frontier",
        "hometown",
        "miles",
        "mile",
        "km",
        "kilometres",
        "kilometers",
        "kilometre",
        "kilometer",
        "north",
        "south",
        "east",
        "west",
        "northeast",
        "northwest",
        "southeast",
        "southwest",
        "north-east",
        "north-west",
        "south-east",
        "south-west",
        "distance",
        "far",
        "away",
        "outside",
    }
)
REFERENCE_PREPOSITIONS = frozenset({"from", "toward", "towards", "beyond", "to"})

# Nouns a place may possess or modify and still be the scene of the attack:
# "Sevastopol's naval harbour", "Kazan's airport", "the city's outskirts".
SCENE_NOUNS = frozenset(
    {
        "outskirts",
        "centre",
        "center",
        "city",
        "town",
        "village",
        "district",
        "suburb",
        "suburbs",
        "skies",
        "sky",
        "airspace",
        "territory",
        "region",
        "area",
        "neighbourhood",
        "neighborhood",
        "residents",
        "downtown",
        "capital",
        "oblast",
        "province",
        "streets",
        "infrastructure",
        "grid",
    }
)

# Nouns that, with a demonym, name a vague place: "a Polish farming village".
VAGUE_SETTLEMENTS = frozenset({"village", "town", "city", "settlement", "region"})

# The longest source phrase kept ("The governor of Russia's Ryazan region" is 7 words).
MAX_SOURCE_WORDS = 10

# Vague times that mark an attack told in passing, not reported.
PASSING_TIMES = ("recent", "earlier", "previous", "past", "ago")

# Targets whose mention as the object of "hit", "targeted" or "destroyed" shows an attack.
SITE_TARGETS = frozenset(
    {
        TargetType.AIRBASE,
        TargetType.OIL_FACILITY,
        TargetType.PORT,
        TargetType.SHIP,
        TargetType.BRIDGE,
        TargetType.MILITARY_OTHER,
        TargetType.INFRASTRUCTURE,
    }
)

# Nouns that count attacks rather than generalise them: "a pair of explosions".
QUANTITY_NOUNS = frozenset(
    {
        "pair",
        "couple",
        "number",
        "dozen",
        "dozens",
        "hundreds",
        "wave",
        "volley",
        "salvo",
        "handful",
    }
)

# Targets that are no place: "a landing ship of the Russian Navy" locates nothing.
NOT_PLACES = frozenset({TargetType.SHIP, TargetType.MILITARY_OTHER, TargetType.GOVERNMENT})

# Heads of multi-word weapon terms that name no weapon alone.
GENERIC_WEAPON_HEADS = frozenset(
    {"aircraft", "vehicle", "vessel", "boat", "device", "launcher", "fire", "strike", "system"}
)

# Figures that say how many weapons were used.
DRONE_OR_MISSILE = {Weapon.DRONE: "drones", Weapon.SEA_DRONE: "drones", Weapon.MISSILE: "missiles"}

# How far a sentence without a place may lend its facts to the event before it, in
# sentences: three covers a quote and its attribution after the lead sentence without
# reaching into the next story on a page (tuned on the development set).
LEND_WINDOW = 4
# ... and up to eight when everything before it in the article is about one place: such
# articles tell one attack, and its figures often come after quotes and background.
LEND_WINDOW_SINGLE_STORY = 8

# A sentence of figures with no attack word completes only the attack told at most two
# sentences before it ("... two aircraft were damaged. Three servicemen were killed.").
FIGURES_ONLY_WINDOW = 2

# How far from a town a known facility of the kind the sentence names may lie to be taken
# as the site meant ("an oil refinery in Saratov", "air bases at Ryazan and Saratov"):
# refineries and air bases sit on the edge of their towns or across a river from them
# (Engels-2 is 17 km from Saratov's centre, Dyagilevo 9 km from Ryazan's).
FACILITY_RADIUS_KM = 20.0

# Target lists: a sentence naming this many targets is an interception tally or a list of
# regions where blasts were heard, never one attack per place (see research notes).
TALLY_SIZE = 3


class Role(Enum):
    TARGET = "target"
    ACTOR = "actor"
    ATTRIBUTE = "attribute"
    REFERENCE = "reference"
    SPEAKER = "speaker"
    DATELINE = "dateline"
    COUNTRY = "country"


@dataclass
class SentenceFacts:
    """What one event sentence states, before it is tied to places."""

    index: int
    span: Span
    triggers: list[Token]
    weapon: Weapon
    weapon_count: Count | None
    attacker: str
    outcome: Outcome
    killed: Count | None
    injured: Count | None
    attributed_to: tuple[str, ...]
    certainty: Certainty
    hedges: tuple[str, ...]
    dates: list[tuple[EventDate, str, int]]  # (date, basis, token index near the date)
    generic: bool
    # The sentence places the attack only vaguely in the past ("recently", "as previously
    # reported"): an earlier attack in passing, which is no event without a date.
    passing: bool = False
    # Countries the attack is said to have happened in ("a missile barrage across Ukraine").
    countries: tuple[str, ...] = ()
    targets: list[PlaceMention] = field(default_factory=list)
    speakers: list[PlaceMention] = field(default_factory=list)
    vague_country: str | None = None
    vague_target: TargetType | None = None


class TermIndex:
    """Vocabulary phrases indexed by their first word, for one left-to-right scan."""

    def __init__(self, vocab: Sequence[tuple[str, Sequence[str]]]) -> None:
        by_first: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
        for cls, terms in vocab:
            for term in terms:
                words = tuple(term.split())
                by_first.setdefault(words[0], []).append((cls, words))
        for entries in by_first.values():
            entries.sort(key=lambda entry: -len(entry[1]))  # longest first, stable by class
        # A word opens the phrases of its own first word, or else those of its singular
        # (``_singular``: a final "s" off): the plurals are listed too, so that a word is
        # looked up once.
        self._by_word = {
            first + "s": entries
            for first, entries in by_first.items()
            if _singular(first + "s") == first
        }
        self._by_word.update(by_first)

    def find(self, words: Sequence[str]) -> list[tuple[str, int, int]]:
        """(class, start, end) of every phrase in the lowercase words, longest match at each
        start; a phrase's last word may be plural ("drones", "refineries")."""
        found: list[tuple[str, int, int]] = []
        i = 0
        while i < len(words):
            for cls, phrase in self._by_word.get(words[i], ()):
                if _phrase_at(words, i, phrase):
                    found.append((cls, i, i + len(phrase)))
                    i += len(phrase)
                    break
            else:
                i += 1
        return found


def _singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    return word[:-1] if word.endswith("s") and len(word) > 3 else word


def _phrase_at(words: Sequence[str], i: int, phrase: tuple[str, ...]) -> bool:
    if i + len(phrase) > len(words):
        return False
    return all(words[i + k] == w or _singular(words[i + k]) == w for k, w in enumerate(phrase))


def _words(sent: Span) -> list[str]:
    """The sentence's words in lowercase, one per token."""
    return lowercase(sent.doc)[sent.start : sent.end]


def _with_words(sent: Span) -> Iterator[tuple[Token, str]]:
    """The sentence's tokens, each with its lowercase word."""
    return zip(sent, _words(sent), strict=True)


_LOWERED_KEY = "foglight.lowered_sentences"


def _padded_words(sent: Span) -> str:
    """The sentence's lowercase words joined by spaces, with a space at either end, so that a
    phrase is found as whole words; a sentence is asked about several phrase lists, so it is
    joined once."""
    lowered: dict[tuple[int, int], str] = sent.doc.user_data.setdefault(_LOWERED_KEY, {})
    text = lowered.get((sent.start, sent.end))
    if text is None:
        text = lowered[sent.start, sent.end] = " " + " ".join(_words(sent)) + " "
    return text


def _sentence_has(sent: Span, phrases: Iterable[str]) -> str | None:
    text = _padded_words(sent)
    for phrase in phrases:
        if f" {phrase} " in text:
            return phrase
    return None


class Extractor:
    """Finds the attacks an article reports. Stateless apart from its vocabulary."""

    def __init__(self, vocab: Vocabulary | None = None) -> None:
        self.vocab = vocab or vocabulary()
        self._weapon_terms = TermIndex([(w.value, terms) for w, terms in self.vocab.weapons])
        self._target_terms = TermIndex([(t.value, terms) for t, terms in self.vocab.targets])
        # Last words of the terms, singular and plural, looked up per token; for targets the
        # first class listing a word wins, as in the vocabulary's order.
        self._weapon_heads = frozenset(
            form
            for _, terms in self.vocab.weapons
            for term in terms
            if len(term.split()) == 1 or term.split()[-1] not in GENERIC_WEAPON_HEADS
            for form in (term.split()[-1], term.split()[-1] + "s")
        )
        self._target_heads: dict[str, TargetType] = {}
        for target, terms in self.vocab.targets:
            for term in terms:
                for form in (term.split()[-1], term.split()[-1] + "s"):
                    self._target_heads.setdefault(form, target)
        # The words that can make a token a trigger, looked up before its part of speech.
        self._trigger_words = (
            self.vocab.trigger_verbs
            | self.vocab.trigger_nouns
            | frozenset(self.vocab.intercept_verbs)
            | SHOOT_WORDS
        )

    # -- triggers -------------------------------------------------------------------------

    def _triggers(self, sent: Span, place_tokens: frozenset[int] = frozenset()) -> list[Token]:
        v = self.vocab
        strong: list[Token] = []
        weak: list[Token] = []
        words = _words(sent)
        for token, word in zip(sent, words, strict=True):
            if word not in self._trigger_words:
                continue
            is_verb = token.pos_ in ("VERB", "AUX") or token.tag_ in ("VBN", "VBD", "VBG")
            if (word in v.trigger_verbs and is_verb) or (
                word in v.trigger_nouns and token.pos_ in ("NOUN", "PROPN")
            ):
                (weak if word in WEAK_TRIGGERS else strong).append(token)
            elif (word in v.intercept_verbs and is_verb) or (
                word in SHOOT_WORDS and any(c.lower_ == "down" for c in token.children)
            ):
                weak.append(token)
        # A weapon as the subject of any verb makes that verb an attack: "a Kh-22 missile
        # tore through an apartment block", "drones rained down on the city".
        for token, word in zip(sent, words, strict=True):
            if (
                word in self._weapon_heads
                and token.dep_ == "nsubj"
                and token.head.pos_ == "VERB"
                and token.head not in strong
                and token.head not in weak
            ):
                weak.append(token.head)
        if strong or not weak:
            return strong + weak
        # A weak verb with a military or energy site or a named place as its object reports
        # an attack even without a weapon word: "Ukraine says it hit a Russian ammunition
        # depot", "the racists also hit Kryvyi Rih".
        hits_site = any(
            c.dep_ in ("dobj", "nsubjpass")
            and (self._target_class(c) in SITE_TARGETS or c.i in place_tokens)
            for t in weak
            if t.pos_ == "VERB"
            for c in t.children
        )
        if hits_site or self._weapon_terms.find(words):
            return weak
        return []

    def _page_noise(self, sent: Span) -> bool:
        return is_page_noise(sent, self.vocab)

    def _out_of_scope(self, trigger: Token) -> bool:
        """An attack by gunmen is no strike: "gunmen attacked churches in Derbent"."""
        return any(
            c.dep_ == "nsubj" and c.lower_ in self.vocab.non_war_attackers for c in trigger.children
        )

    def _realis(self, trigger: Token) -> bool:
        """False when the trigger is threatened, hypothetical, planned or negated.

        The trigger's own clause and what it is the complement of count ("warned that Moscow
        could be hit", "threatened to strike", "capable of hitting"); a temporal adjunct such
        as "threatening Ukraine ... following drone strikes on Kazan" leaves the strikes real.
        """
        v = self.vocab
        node = trigger
        for _ in range(6):
            for child in node.children:
                if child.dep_ == "neg" and node.i == trigger.i:
                    return False
                if child.dep_ in ("aux", "auxpass", "mark") and child.lower_ in v.irrealis:
                    return False
            if node.i != trigger.i and node.lower_ in v.irrealis:
                return False
            if node.head.i == node.i or node.lower_ in TEMPORAL_PREPOSITIONS:
                break
            if node.dep_ not in MODAL_PATH and not (
                node.pos_ in ("NOUN", "PROPN") and node.dep_ in ("dobj", "nsubj", "nsubjpass")
            ):
                break
            node = node.head
        return True

    def _generic_trigger(self, trigger: Token) -> bool:
        """A bare plural attack noun hanging on another noun names attacks in general:
        "Kyiv's policy of silence around attacks inside Russia" (but "a pair of explosions"
        counts them)."""
        if trigger.pos_ not in ("NOUN", "PROPN") or trigger.tag_ != "NNS":
            return False
        if any(c.dep_ in ("det", "poss", "nummod") for c in trigger.children):
            return False
        head = trigger.head
        if head.pos_ == "ADP":
            head = head.head
        return (
            head.pos_ in ("NOUN", "PROPN")
            and head.lower_ not in self.vocab.trigger_nouns
            and head.lower_ not in QUANTITY_NOUNS
        )

    def _linked(
        self, place: Token, triggers: Sequence[Token], others: frozenset[int] = frozenset()
    ) -> bool:
        """The place belongs to an attack in the parse: it lies in an attack trigger's phrase
        without crossing into another clause, the trigger lies in the place's phrase ("Kazan
        drone strikes"), or both hang on one verb ("an explosion happened at Dyagilevo",
        "came under attack", "explosions were heard in Sevastopol"). Interception verbs link
        only when what was intercepted is a weapon ("missiles were intercepted by Kyiv's air
        defences"), not the aircraft that launched them ("two Su-24s were destroyed in the
        area of the village of Zhovten"). A place in the subject of a verb whose object is
        the attack is no scene: "residents of Saratov heard an explosion". A place reached
        first by one of the ``others`` triggers belongs to that one ("explosions over the
        Kremlin" in "Tuesday's assault on Moscow comes weeks after explosions over the
        Kremlin")."""
        trigger_ids = {t.i for t in triggers if self._links_places(t)}
        node = place
        arrival = place
        for _ in range(10):
            if node.i in trigger_ids:
                return True
            if node.i in others:
                return False
            if node.pos_ in ("VERB", "AUX"):
                # The subject of a verb whose object is the attack reacts to it or carries it
                # out ("Foreign diplomats in Kyiv condemned the strike"); a subject that came
                # "under attack" or stopped "after a drone attack" is its scene.
                subject = arrival.dep_ in ("nsubj", "csubj")
                verb: Token | None = node
                while verb is not None:
                    if _has_trigger_argument(verb, trigger_ids, prepositions_only=subject):
                        return True
                    # "an explosion was reported to have taken place at Engels-2"
                    verb = verb.head if verb.dep_ == "xcomp" else None
                break
            if node.head.i == node.i:
                break
            arrival, node = node, node.head
        if place.dep_ not in ("compound", "poss", "amod", "nmod"):
            return False
        if any(t in {d.i for d in place.head.subtree} for t in trigger_ids):
            return True
        # "attack two air bases ..., the Dyagilevo base and the Engels base": the place names
        # one of the things the attack is said to hit, even where the parse loses the list.
        objects = {
            g.lemma_
            for t in triggers
            if t.i in trigger_ids
            for c in t.children
            for g in ([c] if c.dep_ in ("dobj", "nsubjpass") else c.children)
            if c.dep_ in ("dobj", "nsubjpass") or (c.dep_ == "prep" and g.dep_ == "pobj")
        }
        return place.head.lemma_ in objects and self._is_scene_noun(place.head)

    # -- places ----------------------------------------------------------------------------

    def _intercepts(self, trigger: Token) -> bool:
        """The verb stops a weapon ("shot down", "intercepted", "destroyed 30 drones") rather
        than strikes a site ("destroyed an S-400 system")."""
        if trigger.lower_ == "shot":
            return True
        if trigger.lower_ not in self.vocab.intercept_verbs:
            return False
        if trigger.lower_ != "destroyed":
            return True
        objects = [c for c in trigger.children if c.dep_ in ("nsubjpass", "dobj")]
        return any(self._is_weapon_word(c) for c in objects)

    def _links_places(self, trigger: Token) -> bool:
        """Attack triggers place the attack; an interception verb only when a weapon was
        intercepted ("missiles were intercepted by Kyiv's air defences"); "destroyed" also
        when a site was destroyed ("destroyed an S-400 system in Crimea"), but not what air
        defence destroyed ("two Su-24s were destroyed by air defence near Zhovten")."""
        if trigger.lower_ not in self.vocab.intercept_verbs:
            return True
        objects = [c for c in trigger.children if c.dep_ in ("nsubjpass", "dobj")]
        if any(self._is_weapon_word(c) for c in objects):
            return True
        if trigger.lower_ != "destroyed":
            return False
        by_air_defence = any(
            c.dep_ == "agent"
            and any(w.lower_ in ("defence", "defense", "defences", "defenses") for w in c.subtree)
            for c in trigger.children
        )
        return not by_air_defence

    def _role(self, doc: Doc, mention: PlaceMention, sent: Span | None = None) -> Role:
        entry = mention.entry
        span = mention.span(doc)
        root = span.root
        sent = sent if sent is not None else span.sent
        if entry.precision is PlacePrecision.COUNTRY:
            return Role.COUNTRY
        if self._is_dateline(doc, mention, sent):
            return Role.DATELINE
        name = entry.name.lower()
        is_actor_name = (
            mention.text.lower() in self.vocab.actor_names or name in self.vocab.actor_names
        )
        head = root.head
        dep = root.dep_
        # Walk through "the city of X" / "the village of X" to the noun the phrase hangs on.
        if dep == "pobj" and head.lower_ == "of" and head.head.lower_ in SCENE_NOUNS:
            root = head.head
            head, dep = root.head, root.dep_
        if dep == "nsubj" and head.pos_ in ("VERB", "AUX") and head.lower_ not in UNDERGO_VERBS:
            # "Zaporizhzhia has been a frequent target" is a scene; "Kyiv is willing" an actor.
            if head.lemma_ == "be" or head.lower_ in ("is", "was", "were", "are", "been"):
                complements = [c for c in head.children if c.dep_ in ("attr", "acomp")]
                if any(self._is_scene_noun(c) or c.lower_ == "target" for c in complements):
                    return Role.TARGET
            return Role.ACTOR
        if dep == "pobj" and head.dep_ == "agent":
            return Role.ACTOR
        # The object of a verb that is no attack is blamed, accused, threatened or visited:
        # "Russian officials blamed Kiev for Monday's attacks".
        if dep == "dobj" and head.lower_ not in self.vocab.trigger_verbs:
            # ... unless the attack is the verb's subject: "Explosions rocked Sevastopol".
            attacked = any(
                c.dep_ == "nsubj"
                and (c.lower_ in self.vocab.trigger_nouns or self._is_weapon_word(c))
                for c in head.children
            )
            if not attacked:
                return Role.ACTOR
        # "Belgorod Governor Vyacheslav Gladkov said", "Kharkiv's mayor said": the official's
        # jurisdiction, which places the attack when the statement names no other place.
        if dep in ("poss", "compound") and head.lower_ in OFFICIAL_TITLES:
            return Role.SPEAKER if self._in_speaker(head, sent) else Role.ATTRIBUTE
        if dep == "poss":
            if head.lower_ in self.vocab.trigger_nouns:
                return Role.ACTOR if is_actor_name else Role.TARGET
            if self._is_scene_noun(head):
                return Role.TARGET
            return Role.ATTRIBUTE
        if dep == "compound" or (dep == "amod" and head.pos_ == "NOUN"):
            if (
                self._is_scene_noun(head)
                or head.lower_ in self.vocab.trigger_nouns
                or self._is_weapon_word(head)
            ):
                return Role.TARGET
            return Role.ATTRIBUTE
        if dep == "pobj" and (
            head.lower_ in REFERENCE_PREPOSITIONS or head.head.lower_ in REFERENCE_HEADS
        ):
            return Role.REFERENCE
        if self._in_speaker(root, sent):
            return Role.SPEAKER
        return Role.TARGET

    def _is_scene_noun(self, token: Token) -> bool:
        return token.lower_ in SCENE_NOUNS or token.lower_ in self._target_heads

    def _is_weapon_word(self, token: Token) -> bool:
        """The token names a weapon: a one-word term, or the head of a longer one unless that
        head is generic ("unmanned aircraft" does not make every aircraft a weapon)."""
        return token.lower_ in self._weapon_heads

    def _in_speaker(self, token: Token, sent: Span) -> bool:
        """Inside the subject of a reporting verb, or the object of "according to"."""
        node = token
        while node.head.i != node.i and sent.start <= node.i < sent.end:
            if (
                node.dep_ in ("nsubj", "nsubjpass")
                and node.head.lower_ in self.vocab.reporting_verbs
            ):
                return True
            if (
                node.dep_ == "pobj"
                and node.head.lower_ == "to"
                and node.head.head.lower_ == "according"
            ):
                return True
            if node.dep_ == "pobj" and node.head.lower_ == "citing":
                return True
            node = node.head
        return False

    @staticmethod
    def _is_dateline(doc: Doc, mention: PlaceMention, sent: Span) -> bool:
        """ "MOSCOW, Feb 24 (AFP) -", "KRYVYI RIH, Ukraine –", "Kyiv (AW) -": the reporter's
        location, at the start of the first sentence of the story."""
        span = mention.span(doc)
        if span.start != sent.start or len(span.text) < 3:
            return False
        following = doc[span.end : min(span.end + 8, sent.end)]
        if span.text.isupper():
            return any(t.text in ("-", "–", "—", "(") for t in following)
        # Mixed case: only the agency form "Kyiv (AW) -" or "Kyiv, Ukraine (Reuters) -".
        texts = [t.text for t in following]
        return "(" in texts and ")" in texts and any(d in texts for d in ("-", "–", "—"))

    def _classify_places(
        self, doc: Doc, sent: Span, places: list[PlaceMention], triggers: Sequence[Token]
    ) -> tuple[list[PlaceMention], list[PlaceMention], list[PlaceMention]]:
        """(targets, speakers, countries) of one sentence; a target must be linked to one of
        the sentence's attack triggers in the parse."""
        targets: list[PlaceMention] = []
        speakers: list[PlaceMention] = []
        countries: list[PlaceMention] = []
        for mention in places:
            role = self._role(doc, mention, sent)
            if role is Role.TARGET:
                if self._linked(mention.span(doc).root, triggers):
                    targets.append(mention)
            elif role is Role.SPEAKER:
                speakers.append(mention)
            elif role is Role.COUNTRY:
                countries.append(mention)
        # A target that contains another and sits in its phrase is its locator: "Belbek
        # airport in Sevastopol", "an oil depot in Engels, Saratov region".
        # A region or country is always the locator of a place inside it named beside it.
        targets = [
            t
            for t in targets
            if not any(
                contains(t.entry, o.entry)
                and (
                    t.entry.precision in (PlacePrecision.ADMIN1, PlacePrecision.COUNTRY)
                    or _within_phrase(doc, t, o)
                    or _locative(t.span(doc).root)
                )
                for o in targets
                if o is not t
            )
        ]
        # The same place named twice in one sentence is one target.
        unique: dict[str, PlaceMention] = {}
        for t in targets:
            unique.setdefault(t.entry.id, t)
        return list(unique.values()), speakers, countries

    # -- facts -----------------------------------------------------------------------------

    def _weapon(self, sent: Span, triggers: Sequence[Token]) -> tuple[Weapon, Count | None]:
        found = self._weapon_terms.find(_words(sent))
        if not found:
            return Weapon.UNKNOWN, None
        # Explosives are usually the payload of a named carrier ("a sea drone loaded with 450
        # kilograms of explosives"): the carrier is the weapon when both are named.
        carriers = [f for f in found if f[0] != Weapon.EXPLOSIVE.value]
        found = carriers or found
        anchors = [t.i - sent.start for t in triggers] or [0]
        cls, _, end = min(found, key=lambda f: (min(abs(f[1] - a) for a in anchors), f[1]))
        weapon = Weapon(cls)
        count = None
        if weapon in DRONE_OR_MISSILE:
            count = self._quantity(sent[end - 1])
        return weapon, count

    def _quantity(self, noun: Token) -> Count | None:
        for child in noun.children:
            if child.dep_ == "nummod" or (child.like_num and child.i < noun.i):
                return self._count_of(child)
        return None

    @staticmethod
    def _count_of(number: Token) -> Count | None:
        words = [t for t in number.subtree if t.i <= number.i and t.dep_ != "punct"]
        text = " ".join(t.text for t in words) if words else number.text
        count = parse_count(text)
        if count is None:
            count = parse_count(number.text)
        return count

    def _attacker(self, sent: Span, triggers: Sequence[Token]) -> str:
        """The side the sentence says attacked, by priority: agent of the attack ("launched
        by Ukraine"), the side blamed ("blamed Kiev for"), the subject of the attack verb
        ("Russia struck"), a demonym on the weapon or the attack ("Ukrainian drones")."""
        cues = self.vocab.attacker_cues

        def side_of(token: Token) -> str | None:
            phrase = " ".join(t.lower_ for t in token.subtree)
            for cue, code in cues:
                if phrase == cue or phrase.endswith(" " + cue) or token.lower_ == cue:
                    return code
            for cue, code in cues:
                if token.lower_ == cue.split()[-1] and cue in phrase:
                    return code
            # "Ukraine's General Staff", "the Ukrainian military": the side of the possessor
            # or of the demonym.
            for child in token.children:
                if child.dep_ in ("poss", "amod", "compound"):
                    side = side_of(child)
                    if side:
                        return side
            return None

        for token in sent:
            if (
                token.dep_ == "pobj"
                and token.head.dep_ == "agent"
                and (
                    self._is_weapon_word(token.head.head)
                    or token.head.head.lower_ in ("launched", "carried", "conducted", "fired")
                )
            ):
                side = side_of(token)
                if side:
                    return side
        for token, word in _with_words(sent):
            if word in ("blamed", "blame", "blames", "accused", "accuse", "accuses"):
                for child in token.children:
                    if child.dep_ in ("dobj", "pobj"):
                        side = side_of(child)
                        if side:
                            return side
        for trigger in triggers:
            if self._intercepts(trigger):
                continue  # the subject of "shot down" is the defender
            if trigger.dep_ == "xcomp":
                # "Ukraine had used drones to attack two air bases"
                for child in trigger.head.children:
                    if child.dep_ == "nsubj" and (side := side_of(child)):
                        return side
            for child in trigger.children:
                if child.dep_ != "nsubj":
                    continue
                side = side_of(child)
                if side is None and child.lower_ in self.vocab.pronouns:
                    # "Ukraine's General Staff said it had struck the refinery"
                    side = self._reporter_side(trigger, side_of)
                if side:
                    return side
        weapon_tokens = [
            t
            for t, word in _with_words(sent)
            if word in self._weapon_heads or word in self.vocab.trigger_nouns
        ]
        for noun in weapon_tokens:
            for child in noun.children:
                # "Ukrainian drones", "Russia's missile attacks"; a place compound names the
                # scene, not the attacker ("the Moscow drone attack").
                demonym = child.text in self.vocab.demonyms
                if child.dep_ in ("amod", "poss", "npadvmod") or (
                    child.dep_ == "compound" and demonym
                ):
                    side = side_of(child)
                    if side:
                        return side
        return "unknown"

    def _reporter_side(self, trigger: Token, side_of: Callable[[Token], str | None]) -> str | None:
        node = trigger
        for _ in range(4):
            if node.head.i == node.i:
                return None
            node = node.head
            if node.lower_ in self.vocab.reporting_verbs:
                subjects = [c for c in node.children if c.dep_ == "nsubj"]
                return side_of(subjects[0]) if subjects else None
        return None

    def _outcome(self, sent: Span) -> Outcome:
        v = self.vocab
        # "Destroyed" intercepts only a weapon ("destroyed 30 drones"), not a building.
        intercepted = any(
            (word in v.intercept_verbs and word != "destroyed")
            or (word == "shot" and any(c.lower_ == "down" for c in t.children))
            or (
                word == "destroyed"
                and any(
                    c.dep_ in ("dobj", "nsubjpass") and self._is_weapon_word(c) for c in t.children
                )
            )
            for t, word in _with_words(sent)
        )
        if intercepted and _sentence_has(sent, v.mostly):
            return Outcome.MOSTLY_INTERCEPTED
        if _sentence_has(sent, v.failed):
            return Outcome.FAILED
        if _sentence_has(sent, v.attempted):
            return Outcome.ATTEMPTED
        if intercepted:
            return Outcome.INTERCEPTED
        return Outcome.HIT

    def _casualties(self, sent: Span) -> tuple[Count | None, Count | None]:
        v = self.vocab
        killed: Count | None = None
        injured: Count | None = None
        if _sentence_has(sent, v.no_casualty_phrases):
            return Count(0, 0), Count(0, 0)
        if _sentence_has(sent, v.no_deaths_phrases):
            killed = Count(0, 0)
        if _sentence_has(sent, v.no_injuries_phrases):
            injured = Count(0, 0)
        for token, word in _with_words(sent):
            kind = (
                "killed"
                if word in v.killed_words
                else "injured"
                if word in v.injured_words
                else None
            )
            if word == "toll" and any(c.lower_ == "death" for c in token.children):
                kind = "killed"
            if kind is None:
                continue
            count = self._casualty_figure(token) if word != "toll" else self._toll(token)
            if count is None:
                continue
            if kind == "killed" and killed is None:
                killed = count
            elif kind == "injured" and injured is None:
                injured = count
        return killed, injured

    def _toll(self, toll: Token) -> Count | None:
        """ "The death toll ... has risen to 20", "the toll stands at 26"."""
        verb = toll.head
        for child in verb.children:
            if child.dep_ == "prep" and child.lower_ in ("to", "at"):
                for number in child.children:
                    if number.like_num:
                        return self._count_of(number)
            if child.dep_ in ("dobj", "attr") and child.like_num:
                return self._count_of(child)
        return None

    def _casualty_figure(self, word: Token) -> Count | None:
        """The number of people a casualty word is about, read from the parse."""
        people = self.vocab.people_words

        def from_noun(noun: Token) -> Count | None:
            if noun.like_num:
                return self._count_of(noun)
            word = _singular(noun.lower_)
            if not any(word in (p.split()[-1], _singular(p.split()[-1])) for p in people):
                return None
            for child in noun.children:
                if child.dep_ == "nummod" or (child.like_num and child.i < noun.i):
                    return self._count_of(child)
                if child.dep_ == "det" and child.lower_ in ("a", "an", "one"):
                    return Count(1, 1)
            return None

        candidates: list[Token] = []
        for child in word.children:
            if child.dep_ in ("dobj", "nsubj", "nsubjpass", "npadvmod", "attr", "nummod"):
                candidates.append(child)
        # "one person dead" (oprd), "26 dead" (amod of nothing), "12 wounded and 1 dead"
        if word.dep_ in ("amod", "oprd", "acomp", "conj", "appos", "acl"):
            candidates.append(word.head)
        if word.i > 0 and word.doc[word.i - 1].like_num:
            candidates.insert(0, word.doc[word.i - 1])
        # "The attack ... in July 2023 killed two civilians": a year is no figure.
        candidates = [c for c in candidates if c.ent_type_ not in ("DATE", "TIME")]
        for noun in candidates:
            if noun.dep_ == "prep" or noun.lower_ in ("including", "among"):
                continue
            count = from_noun(noun)
            if count is not None:
                return count
        return None

    def _attribution(
        self, sent: Span, triggers: Sequence[Token], previous: tuple[str, ...]
    ) -> tuple[str, ...]:
        sources: list[str] = []
        v = self.vocab
        text = span_text(sent).lower()
        for phrase in v.according_to:
            at = text.find(phrase)
            if at < 0:
                continue
            for token in sent:
                if token.idx - sent.start_char > at + len(phrase) - 1 and token.dep_ == "pobj":
                    sources.append(self._source_phrase(token))
                    break
        reporters: list[Token] = []
        for trigger in triggers:
            node = trigger
            while node.head.i != node.i:
                node = node.head
                if node.lower_ in v.reporting_verbs or node.lower_ in v.denial_verbs:
                    reporters.append(node)
        root = sent.root
        if root.lower_ in v.reporting_verbs and root not in reporters:
            reporters.append(root)
        for verb in reporters:
            for child in verb.children:
                if child.dep_ in ("nsubj", "nsubjpass") or (child.dep_ == "agent"):
                    subject = child
                    if child.dep_ == "agent":
                        objs = [c for c in child.children if c.dep_ == "pobj"]
                        if not objs:
                            continue
                        subject = objs[0]
                    if subject.lower_ in v.pronouns:
                        sources.extend(previous)
                    elif subject.pos_ in ("NOUN", "PROPN"):
                        sources.append(self._source_phrase(subject))
        seen: dict[str, None] = {}
        for s in sources:
            # A source is a short noun phrase; a whole clause means the parse went astray.
            if (
                s
                and len(s.split()) <= MAX_SOURCE_WORDS
                and not any(w.lower() in self.vocab.trigger_nouns for w in s.split())
            ):
                seen.setdefault(s, None)
        return tuple(seen)

    @staticmethod
    def _source_phrase(head: Token) -> str:
        """The source's noun phrase without appositives, relative clauses or trailing
        punctuation: "The governor of Russia's Ryazan region", "Russia's Defence Ministry"."""
        keep = [head]
        stack = [
            c
            for c in head.children
            if c.dep_ not in ("appos", "relcl", "punct", "acl", "cc", "conj", "advcl")
        ]
        while stack:
            node = stack.pop()
            keep.append(node)
            stack.extend(
                c
                for c in node.children
                if c.dep_ not in ("appos", "relcl", "punct", "acl", "advcl")
            )
        keep.sort(key=lambda t: t.i)
        start, end = keep[0].i, keep[-1].i + 1
        words = head.doc[start:end].text.strip(" ,.;:\"“”'")
        return words

    def _certainty(
        self, sent: Span, triggers: Sequence[Token], attributed: tuple[str, ...]
    ) -> tuple[Certainty, tuple[str, ...]]:
        v = self.vocab
        for trigger in triggers:
            node = trigger
            while node.head.i != node.i:
                node = node.head
                if node.lower_ in v.denial_verbs and not any(
                    c.lower_ in ("neither", "nor", "not") for c in node.children
                ):
                    return Certainty.DENIED, ()
        hedges = []
        text = _padded_words(sent)
        for hedge in v.hedges:
            if f" {hedge} " in text:
                hedges.append(hedge)
        if hedges:
            return Certainty.HEDGED, tuple(hedges)
        if attributed:
            return Certainty.ATTRIBUTED, ()
        return Certainty.ASSERTED, ()

    def _dates(
        self, doc: Doc, sent: Span, triggers: Sequence[Token], published: date | None
    ) -> tuple[list[tuple[EventDate, str, int]], bool]:
        """Dates the sentence states, each with its basis and the token it is nearest to,
        and whether it also states a vague time ("recently", "last week")."""
        out: list[tuple[EventDate, str, int]] = []
        mentions: list[DateMention] = find_dates(span_text(sent), published)
        trigger_set = {t.i for t in triggers}
        vague = False
        for dm in mentions:
            if dm.background:
                continue
            if dm.date.value is None:
                # "recently", "in recent days", "earlier": an earlier attack in passing; "last
                # week" places a reported attack, only without a day.
                vague = vague or any(cue in dm.text.lower() for cue in PASSING_TIMES)
                continue
            char = sent.start_char + dm.start
            span = doc.char_span(char, sent.start_char + dm.end, alignment_mode="expand")
            anchor = span.root if span is not None else sent.root
            basis, trigger = self._date_basis(anchor, trigger_set)
            # A date inside the noun phrase of the trigger ("Monday's attacks", "the
            # November 15 explosions") or adjacent to it.
            near = [t for t in trigger_set if abs(anchor.i - t) <= 3]
            if basis == "report" and near:
                basis, trigger = "attack", near[0]
            # An attack date is placed at its trigger, a report date where it stands.
            out.append((dm.date, basis, trigger if trigger is not None else anchor.i))
        return out, vague

    def _date_basis(self, anchor: Token, trigger_ids: set[int]) -> tuple[str, int | None]:
        """ "attack" when the date hangs on the attack (its trigger, or the first verb above it
        has the trigger as an argument), with that trigger's index; else "report": the date
        of a statement or of an aftermath ("extinguished on Thursday")."""
        node = anchor
        for _ in range(8):
            if node.i in trigger_ids:
                return "attack", node.i
            if node.pos_ in ("VERB", "AUX"):
                # "the attacks, which occurred on December 21": a clause about the attack
                if node.dep_ in ("relcl", "acl") and node.head.i in trigger_ids:
                    return "attack", node.head.i
                arguments = [
                    c.i
                    for c in node.children
                    if c.i in trigger_ids
                    or (c.dep_ == "prep" and any(g.i in trigger_ids for g in c.children))
                ]
                if _has_trigger_argument(node, trigger_ids):
                    return "attack", arguments[0] if arguments else node.i
                return "report", None
            if node.head.i == node.i:
                break
            node = node.head
        return "report", None

    # -- article ---------------------------------------------------------------------------

    def extract(self, doc: Doc, article: Article) -> list[Mention]:
        sentences = list(doc.sents)
        sentence_of = [0] * len(doc)
        for index, sentence in enumerate(sentences):
            for k in range(sentence.start, sentence.end):
                sentence_of[k] = index
        places = find_places(doc)
        by_sentence: dict[int, list[PlaceMention]] = {}
        for p in places:
            by_sentence.setdefault(sentence_of[p.start], []).append(p)

        facts: list[SentenceFacts] = []
        previous_sources: tuple[str, ...] = ()
        place_roots = frozenset(
            p.span(doc).root.i for p in places if p.entry.precision is not PlacePrecision.COUNTRY
        )
        for i, sent in enumerate(sentences):
            if self._page_noise(sent):
                continue
            triggers = [
                t
                for t in self._triggers(sent, place_roots)
                if self._realis(t) and not self._generic_trigger(t) and not self._out_of_scope(t)
            ]
            killed, injured = self._casualties(sent)
            # A sentence with figures but no attack word ("Three servicemen were killed")
            # cannot report an attack of its own; it may only complete the one just told.
            if not triggers and killed is None and injured is None:
                continue
            generic = _sentence_has(sent, self.vocab.generic) is not None
            targets, speakers, countries = (
                self._classify_places(doc, sent, by_sentence.get(i, []), triggers)
                if triggers
                else ([], [], [])
            )
            weapon, weapon_count = self._weapon(sent, triggers)
            attributed = self._attribution(sent, triggers, previous_sources)
            if attributed:
                previous_sources = attributed
            certainty, hedges = self._certainty(sent, triggers, attributed)
            dates, vague = self._dates(doc, sent, triggers, article.published)
            fact = SentenceFacts(
                index=i,
                span=sent,
                triggers=triggers,
                weapon=weapon,
                weapon_count=weapon_count,
                attacker=self._attacker(sent, triggers),
                outcome=self._outcome(sent),
                killed=killed,
                injured=injured,
                attributed_to=attributed,
                certainty=certainty,
                hedges=hedges,
                dates=dates,
                generic=generic,
                targets=targets,
                speakers=speakers,
                passing=not dates
                and (vague or _sentence_has(sent, self.vocab.passing) is not None),
            )
            if not targets:
                fact.vague_country, fact.vague_target = self._vague_place(sent)
                fact.countries = tuple(
                    c.entry.country
                    for c in countries
                    if c.entry.country and self._linked(c.span(doc).root, triggers)
                )
            facts.append(fact)
        return self._build_mentions(doc, article, facts, [s.start_char for s in sentences])

    def _vague_place(self, sent: Span) -> tuple[str | None, TargetType | None]:
        """ "a major Russian port", "a Polish farming village": a target or settlement noun
        with a demonym, and no place name."""
        for token, word in _with_words(sent):
            target = self._target_heads.get(word)
            if target is None and word in VAGUE_SETTLEMENTS:
                target = TargetType.OTHER
            if target is None or target in NOT_PLACES:
                continue
            for child in token.children:
                if child.dep_ in ("amod", "compound") and child.text in self.vocab.demonyms:
                    return self.vocab.demonyms[child.text], target
        return None, None

    def _target_class(self, token: Token) -> TargetType | None:
        """The target class whose term ends in this word ("refinery", "airfields")."""
        return self._target_heads.get(token.lower_)

    def _target_type(self, sent: Span, place: PlaceMention | None) -> TargetType:
        if place is not None and place.entry.target_type:
            return TargetType(place.entry.target_type)
        found = self._target_terms.find(_words(sent))
        if not found:
            return TargetType.OTHER
        anchor = (place.start - sent.start) if place is not None else 0
        cls, _, _ = min(found, key=lambda f: (abs(f[1] - anchor), f[1]))
        return TargetType(cls)

    def _build_mentions(
        self,
        doc: Doc,
        article: Article,
        facts: list[SentenceFacts],
        sentence_starts: Sequence[int],
    ) -> list[Mention]:
        mentions: list[Mention] = []
        lendable: list[SentenceFacts] = []
        previous: SentenceFacts | None = None
        for fact in facts:
            targets = fact.targets
            if not targets and fact.speakers:
                targets = [
                    s for s in fact.speakers if s.entry.precision is not PlacePrecision.COUNTRY
                ][:1]
            listed = len(targets) >= TALLY_SIZE or any(
                _list_size(t.span(doc).root) >= TALLY_SIZE for t in targets
            )
            if listed and not self._strikes_on_list(fact, targets):
                continue
            if fact.passing:
                continue
            if not targets:
                lendable.append(fact)
                previous = fact
                continue
            dates = fact.dates or self._context_dates(fact, previous)
            previous = fact
            if fact.generic and not any(b == "attack" for _, b, _ in dates):
                continue
            group = None
            if len(targets) > 1:
                group = hashlib.sha256(f"{article.id}|{fact.span.start_char}".encode()).hexdigest()[
                    :12
                ]
            attack_dates = [d for d in dates if d[1] == "attack"]
            resolved_ids: set[str | None] = set()
            for place in targets:
                target_type = self._target_type(fact.span, place)
                resolved = self._facility_for(place, target_type)
                if resolved.gazetteer_id in resolved_ids:
                    continue  # "the Kerch bridge ... near Kerch": one site named twice
                resolved_ids.add(resolved.gazetteer_id)
                own = self._own_attack_dates(doc, place, attack_dates, targets, fact.triggers)
                if attack_dates and not own:
                    # Another target's date: this one is dated only by the rest, if at all.
                    own = [d for d in dates if d[1] != "attack"] or [
                        (UNKNOWN_DATE, "none", fact.span.start)
                    ]
                # The side that struck this place: said of the triggers that reach it ("Russia
                # rains missiles on Kyiv after the Crimea bridge blast" names no side for the
                # bridge).
                reaching = [t for t in fact.triggers if self._linked(place.span(doc).root, [t])]
                attacker = (
                    self._attacker(fact.span, reaching)
                    if len(targets) > 1 and reaching
                    else fact.attacker
                )
                for event_date, basis in self._dates_for_place(own or dates, place):
                    mentions.append(
                        replace(
                            self._mention(
                                article.id, fact, resolved, event_date, basis, group, target_type
                            ),
                            attacker=attacker,
                        )
                    )
        for fact in lendable:
            self._lend(article, fact, mentions, sentence_starts)
        return merge_within_article(mentions)

    def _strikes_on_list(self, fact: SentenceFacts, targets: list[PlaceMention]) -> bool:
        """A list of towns that an attack verb says were struck ("Russian missiles struck
        Kyiv, Kryvyi Rih and Dnipro") gives one event per town; lists of regions, of places
        where drones were downed or blasts heard, or after an attack noun ("attacks on Sumy,
        Donetsk and Odesa") are tallies."""
        if any(
            t.entry.precision not in (PlacePrecision.SETTLEMENT, PlacePrecision.FACILITY)
            for t in targets
        ):
            return False
        return any(
            t.pos_ == "VERB"
            and not self._intercepts(t)
            and (t.lower_ not in WEAK_TRIGGERS or t.lower_ in ("hit", "targeted", "damaged"))
            for t in fact.triggers
        )

    @staticmethod
    def _context_dates(
        fact: SentenceFacts, previous: SentenceFacts | None
    ) -> list[tuple[EventDate, str, int]]:
        """An undated event sentence right after a dated one shares its date ("Around the
        same time, an explosion happened at Dyagilevo")."""
        if previous is not None and previous.dates and fact.index - previous.index <= 2:
            value, _, _ = previous.dates[0]
            return [(value, "context", fact.span.start)]
        return [(UNKNOWN_DATE, "none", fact.span.start)]

    def _facility_for(self, place: PlaceMention, target_type: TargetType) -> Place:
        """A town named with a kind of site ("an oil refinery in Saratov", "an airfield in
        the village of Sescha") is the known facility of that kind beside it, if any."""
        entry = place.entry
        if (
            entry.precision is PlacePrecision.SETTLEMENT
            and target_type is not TargetType.OTHER
            and entry.lat is not None
            and entry.lon is not None
        ):
            facility = gazetteer().facility_near(
                entry.lat, entry.lon, target_type.value, FACILITY_RADIUS_KM
            )
            if facility is not None:
                return facility.to_place()
        return entry.to_place()

    def _own_attack_dates(
        self,
        doc: Doc,
        place: PlaceMention,
        attack_dates: list[tuple[EventDate, str, int]],
        targets: list[PlaceMention],
        triggers: Sequence[Token],
    ) -> list[tuple[EventDate, str, int]]:
        """The attack dates that belong to this place. With several targets told by different
        triggers ("Tuesday's assault on Moscow comes weeks after explosions over the
        Kremlin"), a date goes only to the targets its own trigger reaches; a target no dated
        trigger reaches gets none of them."""
        if len(targets) < 2 or not attack_dates:
            return attack_dates
        dated = frozenset(d[2] for d in attack_dates)

        def reaches(target: PlaceMention, trigger: int) -> bool:
            others = frozenset(t.i for t in triggers) - {trigger}
            return self._linked(target.span(doc).root, [doc[trigger]], others)

        own = [d for d in attack_dates if reaches(place, d[2])]
        if own or not dated:
            return own
        others_take_them = all(
            any(reaches(t, d[2]) for t in targets if t is not place) for d in attack_dates
        )
        return [] if others_take_them else attack_dates

    @staticmethod
    def _dates_for_place(
        dates: list[tuple[EventDate, str, int]], place: PlaceMention
    ) -> list[tuple[EventDate, str]]:
        """Every distinct attack date of the sentence gives its own event at the place ("a
        drone struck the skyscraper on Tuesday that was hit on Sunday"); report dates give
        one, the nearest to the place."""
        distinct: dict[str | None, tuple[EventDate, str, int]] = {}
        for d in dates:
            distinct.setdefault(d[0].value, d)
        if all(b == "attack" for _, b, _ in distinct.values()):
            return [(d, b) for d, b, _ in distinct.values()]
        nearest = min(distinct.values(), key=lambda d: abs(d[2] - place.start))
        return [(nearest[0], nearest[1])]

    def _mention(
        self,
        article_id: str,
        fact: SentenceFacts,
        place: Place,
        event_date: EventDate,
        basis: str,
        group: str | None,
        target_type: TargetType,
    ) -> Mention:
        sent = fact.span
        in_group = group is not None
        sentence = span_text(sent).rstrip()
        return Mention(
            article_id=article_id,
            sentence=sentence,
            start=sent.start_char,
            end=sent.start_char + len(sentence),
            place=place,
            date=event_date,
            date_basis=basis,
            weapon=fact.weapon,
            target_type=target_type,
            attacker=fact.attacker,
            outcome=fact.outcome,
            killed=None if in_group else fact.killed,
            injured=None if in_group else fact.injured,
            group_killed=fact.killed if in_group else None,
            group_injured=fact.injured if in_group else None,
            attributed_to=fact.attributed_to,
            certainty=fact.certainty,
            hedges=fact.hedges,
            drones=fact.weapon_count if fact.weapon in (Weapon.DRONE, Weapon.SEA_DRONE) else None,
            missiles=fact.weapon_count if fact.weapon is Weapon.MISSILE else None,
            group=group,
        )

    def _specific(self, fact: SentenceFacts) -> bool:
        """A placeless sentence tells about one particular attack when it states a figure or
        a date, or refers back to it with a definite singular ("the attack", "the ship was
        damaged")."""
        if fact.killed or fact.injured or fact.weapon_count or fact.dates:
            return True
        for trigger in fact.triggers:
            if trigger.pos_ in ("VERB", "AUX") and trigger.tag_ in ("VBD", "VBN"):
                return True
            if trigger.tag_ == "NN" and any(
                c.lower_ in ("the", "this", "that") for c in trigger.children
            ):
                return True
        return False

    def _refers_back(self, fact: SentenceFacts, nearest: Mention) -> bool:
        """The sentence names the place just told by a definite description of its kind:
        "the bridge", "this plant", "the refinery", "the city"."""
        for token, word in _with_words(fact.span):
            kind = self._target_heads.get(word)
            if kind is None and word not in VAGUE_SETTLEMENTS:
                continue
            if kind not in (None, nearest.target_type, TargetType.OTHER):
                continue
            if any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in token.children):
                return True
        return False

    def _tells_another(self, fact: SentenceFacts, nearest: Mention) -> bool:
        """The placeless sentence tells a different attack than the one before it: it says
        so ("another missile barrage", "a second attack", "separately") or sets its attack
        in another country ("across Ukraine" after a strike in Russia)."""
        if _sentence_has(fact.span, self.vocab.other_event) is not None:
            return True
        for trigger in fact.triggers:
            if any(c.lower_ in ("another", "second", "separate") for c in trigger.children):
                return True
        return any(code != nearest.place.country for code in fact.countries)

    def _lend(
        self,
        article: Article,
        fact: SentenceFacts,
        mentions: list[Mention],
        sentence_starts: Sequence[int],
    ) -> None:
        """A sentence with an attack but no place: fill the nearest earlier event's gaps, or
        make a country-level event from a vague place if no event of that country can take
        it."""
        if not self._specific(fact) or fact.generic:
            return
        before = [m for m in mentions if m.end <= fact.span.start_char]
        nearest = max(before, key=lambda m: m.end, default=None)
        if nearest is not None:
            # Sentences starting between the end of the nearest event's and this one.
            gap = bisect_left(sentence_starts, fact.span.start_char) - bisect_left(
                sentence_starts, nearest.end
            )
            # An article about a single attack keeps telling it over more sentences.
            single_story = len({m.place for m in before}) == 1
            window = LEND_WINDOW_SINGLE_STORY if single_story else LEND_WINDOW
            if not fact.triggers:
                window = FIGURES_ONLY_WINDOW
            told = [m for m in before if m.place == nearest.place]
            other_date = any(
                b == "attack" and m.date_basis == "attack" and d.value != m.date.value
                for d, b, _ in fact.dates
                for m in told
            )
            in_reach = gap <= window and fact.vague_country in (None, nearest.place.country)
            if in_reach and not other_date and not self._tells_another(fact, nearest):
                mentions.append(self._lent(nearest, fact, adjacent=gap == 0))
                return
            if in_reach and other_date and self._refers_back(fact, nearest):
                # "The bridge was previously damaged on October 8, 2022": the same place,
                # an earlier attack of its own.
                event_date, basis, _ = fact.dates[0]
                mentions.append(
                    replace(
                        self._lent(nearest, fact, adjacent=True),
                        date=event_date,
                        date_basis=basis,
                        group=None,
                    )
                )
                return
        if fact.vague_country is None:
            return
        # A vague place joins the one event of its country it can be; with none it is its own
        # country-level event; with several it is too vague to say which, and is dropped.
        dates = fact.dates or [(UNKNOWN_DATE, "none", fact.span.start)]
        candidates = {
            m.place
            for m in mentions
            if m.place.country == fact.vague_country
            and m.date.value is not None
            and _dates_agree(m, dates[0][0], dates[0][1])
        }
        if len(candidates) == 1:
            target = next(m for m in mentions if m.place in candidates)
            mentions.append(self._lent(target, fact, adjacent=False))
            return
        if candidates:
            return
        event_date, basis, _ = dates[0]
        place = Place(
            None,
            None,
            fact.vague_country,
            None,
            None,
            PlacePrecision.COUNTRY,
            f"country:{fact.vague_country}",
        )
        mentions.append(
            self._mention(
                article.id,
                fact,
                place,
                event_date,
                basis,
                None,
                fact.vague_target or TargetType.OTHER,
            )
        )

    def _lent(self, target: Mention, fact: SentenceFacts, adjacent: bool) -> Mention:
        """The placeless sentence as one more mention of the target's attack. Its date counts
        as the attack's own only right after the target sentence ("The attacks, which
        occurred on December 21, ..."); further away it is context."""
        if fact.dates:
            event_date, basis, _ = fact.dates[0]
            if not adjacent:
                basis = "context"
        else:
            event_date, basis = target.date, target.date_basis
        own_type = self._target_type(fact.span, None)
        lent = self._mention(
            target.article_id,
            fact,
            target.place,
            event_date,
            basis,
            target.group,
            own_type if own_type is not TargetType.OTHER else target.target_type,
        )
        lent = replace(lent, place_basis="context")
        if target.group is not None:
            lent = replace(
                lent,
                killed=None,
                injured=None,
                group_killed=fact.killed,
                group_injured=fact.injured,
            )
        return lent


def is_page_noise(sent: Span, vocab: Vocabulary) -> bool:
    """A "Read also:" link, a photo caption, a cookie banner or a credit line of the page."""
    words = [t.lower_ for t in sent[:4] if not t.is_punct and not t.is_space]
    return " ".join(words).startswith(vocab.page_noise)


def _dates_agree(mention: Mention, value: EventDate, basis: str) -> bool:
    if mention.date_basis == "attack" and basis == "attack":
        return mention.date.value == value.value
    return mention.date.compatible(value)


def _list_size(token: Token) -> int:
    """How many proper names are coordinated with this one ("over Taganrog, Azov, and
    Rodionovo-Nesvetaysk"), whether or not the gazetteer knows them all."""
    first = token
    while first.dep_ == "conj" and first.head.i != first.i:
        first = first.head
    names = [t for t in first.subtree if t.i == first.i or (t.dep_ == "conj" and t.pos_ == "PROPN")]
    return len(names)


def _has_trigger_argument(
    verb: Token, trigger_ids: set[int], prepositions_only: bool = False
) -> bool:
    """The verb's subject or object is a trigger, directly or through a preposition
    ("a fire broke out", "came under attack")."""
    for child in verb.children:
        if (
            not prepositions_only
            and child.dep_ in ("nsubj", "nsubjpass", "dobj", "attr", "agent")
            and child.i in trigger_ids
        ):
            return True
        if child.dep_ == "prep" and any(g.i in trigger_ids for g in child.children):
            return True
    return False


def _within_phrase(doc: Doc, outer: PlaceMention, inner: PlaceMention) -> bool:
    """The outer place's words hang on the inner place's phrase, without crossing a verb."""
    inner_root = inner.span(doc).root
    anchors = (
        {inner_root.i, inner_root.head.i}
        if inner_root.dep_ in ("compound", "poss", "nmod", "amod")
        else {inner_root.i}
    )
    node = outer.span(doc).root
    for _ in range(6):
        if node.i in anchors:
            return True
        if node.pos_ in ("VERB", "AUX") or node.head.i == node.i:
            return False
        node = node.head
    return False


def _locative(token: Token) -> bool:
    """The place is introduced as a location ("in Taganrog", "near Kerch")."""
    return token.dep_ == "pobj" and token.head.lower_ in ("in", "near", "outside", "at")


def _place_key(place: Place) -> str:
    return place.gazetteer_id or f"{place.country}|{place.name}"


def same_place(a: Place, b: Place) -> bool:
    """One place, or one inside the other (a facility in its town, a town in its region)."""
    if _place_key(a) == _place_key(b):
        return True
    return contains(a, b) or contains(b, a)


def merge_within_article(mentions: list[Mention]) -> list[Mention]:
    """Give every mention of one attack in one article the same place and date.

    Two mentions are the same attack when their places are the same or nested and their
    dates do not conflict; an "attack" date conflicts only with another "attack" date.
    The merged values are the most specific place and the strongest date; every sentence
    stays its own mention, so provenance is kept.
    """
    clusters: list[list[Mention]] = []
    for mention in mentions:
        for cluster in clusters:
            if _joins(cluster, mention):
                cluster.append(mention)
                break
        else:
            clusters.append([mention])
    out: list[Mention] = []
    for cluster in clusters:
        place = min((m.place for m in cluster), key=place_breadth)
        best = max(cluster, key=date_strength)
        out.extend(
            replace(m, place=place, date=best.date, date_basis=best.date_basis) for m in cluster
        )
    out.sort(key=lambda m: m.start)
    return out


def _joins(cluster: list[Mention], mention: Mention) -> bool:
    """Whether a mention reports the same attack as every mention of a cluster."""
    for other in cluster:
        if not same_place(other.place, mention.place):
            return False
        if other.place != mention.place:
            # Two places named as separate targets of one sentence are separate attacks; a
            # place nested in another is the same attack only if they were hit as the same
            # kind of target (Engels-2 air base and "the explosion at Engels", not Belbek
            # air base and Sevastopol's harbour).
            if other.start == mention.start:
                return False
            kinds = {other.target_type, mention.target_type} - {TargetType.OTHER}
            if len(kinds) > 1:
                return False
        both_attack = other.date_basis == "attack" and mention.date_basis == "attack"
        if both_attack and other.date.value != mention.date.value:
            return False
    return True


def extract(doc: Doc, article: Article) -> list[Mention]:
    """The attacks an article reports, one mention per place and sentence."""
    return Extractor().extract(doc, article)
