"""Read input files into ``Article`` records: plain text, Markdown, HTML and JSON Lines.

Every problem with an input (binary, undecodable, empty, oversized, malformed header, missing
path) becomes an ``IngestFailure`` in the output stream, so one bad file never stops a run.
``Article.text`` is the stored text that later stages take character offsets into, so the only
changes made to an article's text are the ones listed in ``_normalise``, link stripping for
text files, and trimming the whole body.
"""

from __future__ import annotations

import codecs
import functools
import json
import math
import os
import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import urlsplit

import charset_normalizer
import tldextract
import trafilatura
import yaml
from trafilatura.settings import Document

from foglight.errors import BadMetadata, InputError, UnreadableInput
from foglight.models import INVISIBLE, Article, article_id_for
from foglight.options import Options
from foglight.vocab import load_data

__all__ = [
    "REQUESTED_URL",
    "IngestFailure",
    "MetaRecord",
    "find_dateline_date",
    "input_of",
    "is_url",
    "iter_input_files",
    "load_meta",
    "outlet_from_url",
    "parse_front_matter",
    "read_inputs",
    "strip_markdown_links",
]

# The suffix list shipped inside tldextract, never fetched: ingest must work offline, and
# cache_dir=None keeps it from writing a cache under the user's home.
_TLD_EXTRACT = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)

# As git and file(1) do: a NUL byte early on means binary, and 8 kB is enough to see one.
_BINARY_SNIFF_BYTES = 8192
# charset_normalizer always returns some guess; only take one whose decoded text is clean
# (chaos is its mess ratio) and reads like a known language (coherence). Random high bytes
# mixed into English came back as cp1125 with chaos 0.08 but coherence 0.0, while real
# windows-1251 Russian and cp1252 English scored chaos 0.0 and coherence above 0.6.
_MAX_CHAOS = 0.1
_MIN_COHERENCE = 0.1
# A dateline or byline sits above the first paragraph; looking further down picks up dates
# of the events themselves.
_DATELINE_WINDOW = 600
# More words than a byline ("By Jane Doe and John Roe") before a date at the end of a line
# means it ends a headline or sentence, whose date is more likely the event's.
_BYLINE_MAX_WORDS = 6

# Spaces of other widths read as one space; line and paragraph separators as line breaks.
_OTHER_SPACE = re.compile("[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_OTHER_LINE_BREAK = re.compile("[\x85\u2028\u2029]")
# Control characters other than tab and newline (C0, DEL and C1) carry no text; dropping them
# keeps stored text printable and leaves the store free to use them as markers (search
# snippets). NEXT LINE (U+0085), a line break in EBCDIC and some decoders, becomes one.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x84\x86-\x9f]")


@dataclass(frozen=True)
class IngestFailure:
    """An input that could not be read, and what to do about it."""

    source: str
    reason: str


@dataclass(frozen=True)
class MetaRecord:
    """What a ``--meta`` line says about one input file; None means not stated."""

    published: date | None
    outlet: str | None
    url: str | None
    title: str | None


@dataclass
class _Stated:
    """What an input says about itself (front matter, HTML metadata or a JSONL record)."""

    origin: str  # the published_from value for a date found here
    url: str | None = None
    title: str | None = None
    author: str | None = None
    outlet: str | None = None
    published: str | None = None  # as written; parsed when the date is resolved
    # Site display name from HTML, used as outlet only when no url gives a domain.
    site_name: str | None = None


# ---------------------------------------------------------------------------- files


def is_url(source: str) -> bool:
    """Whether an article's or a failure's source is a url (else a path)."""
    return "://" in source


# The key in ``Article.extra`` of the url a page was asked for, when a redirect led elsewhere
# (the article's source is where it was found).
REQUESTED_URL = "requested_url"

# A JSONL record's source is its file's path and its line: "feed.jsonl:line 12".
_LINE_MARK = ":line "
_LINE_SOURCE = re.compile(rf"(?P<file>.+){_LINE_MARK}\d+")


def input_of(source: str) -> str:
    """The file or folder to read again for a source recorded by ingest: a JSONL record's
    is its file's."""
    line = _LINE_SOURCE.fullmatch(source)
    return line.group("file") if line else source


def iter_input_files(paths: Sequence[str | Path], options: Options) -> Iterator[Path]:
    """Every file to read: given files as they are, folders walked in sorted order."""
    seen: set[Path] = set()
    for given in paths:
        yield from _new_files(Path(given), options, seen)


def _new_files(path: Path, options: Options, seen: set[Path]) -> Iterator[Path]:
    """Files under ``path`` not yet read: a file given twice, or also inside a given folder."""
    for file in _files_under(path, options):
        key = file.resolve()
        if key not in seen:
            seen.add(key)
            yield file


def _files_under(path: Path, options: Options) -> Iterator[Path]:
    if path.is_file():
        yield path
        return
    if not path.is_dir():
        return
    suffixes = {suffix.lower() for suffix in options.suffixes}
    for folder, dirs, files in os.walk(path):
        # Hidden entries are version-control or editor state (.git, .swp), never articles.
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and Path(name).suffix.lower() in suffixes:
                yield Path(folder) / name


def read_inputs(paths: Sequence[str | Path], options: Options) -> Iterator[Article | IngestFailure]:
    """One Article per article read, one IngestFailure per input that could not be used."""
    meta: dict[str, MetaRecord] = {}
    if options.meta is not None:
        try:
            meta = load_meta(options.meta)
        except BadMetadata as error:
            # Without the meta file every date and outlet it names would silently be wrong.
            yield IngestFailure(str(options.meta), f"{error}; no inputs were read")
            return
    # The --meta file often sits in the input folder; it describes inputs and is not one.
    seen = {options.meta.resolve()} if options.meta is not None else set()
    for given in paths:
        path = Path(given)
        if not path.exists():
            yield IngestFailure(
                str(given), "no such file or folder; check the path and the working directory"
            )
            continue
        found = False
        for file in _new_files(path, options, seen):
            found = True
            yield from _read_file(file, options, meta.get(file.name))
        if not found and path.is_dir() and not any(_files_under(path, options)):
            wanted = ", ".join(options.suffixes)
            yield IngestFailure(str(given), f"no input files in this folder (looked for {wanted})")


def _read_file(
    path: Path, options: Options, meta: MetaRecord | None
) -> Iterator[Article | IngestFailure]:
    source = str(path)
    suffix = path.suffix.lower()
    try:
        text, warnings = _load_text(path, options, html=suffix in (".html", ".htm"))
        if suffix == ".jsonl":
            yield from _read_jsonl(text, source, options, meta, warnings)
        elif suffix in (".html", ".htm"):
            yield _read_html(text, source, options, meta, warnings)
        else:
            yield _read_text(text, source, options, meta, warnings)
    except InputError as error:
        yield IngestFailure(source, str(error))
    except OSError as error:
        yield IngestFailure(source, f"cannot read file: {error.strerror or error}")


def _load_text(path: Path, options: Options, *, html: bool) -> tuple[str, list[str]]:
    """The file's text, and what reading it had to guess."""
    size = path.stat().st_size
    if size > options.max_bytes:
        raise UnreadableInput(
            f"file is {size:,} bytes, over the limit of {options.max_bytes:,} bytes; "
            "if it really is an article, raise the limit with --max-bytes"
        )
    if size == 0:
        raise UnreadableInput("empty file (0 bytes); nothing to read")
    decoded = _decode(path.read_bytes(), html=html)
    return _normalise(decoded.text), decoded.warnings


class Decoded(NamedTuple):
    text: str
    # Said when the encoding was guessed from the bytes: a guess can be wrong.
    warnings: list[str]


def _decode(data: bytes, *, html: bool, declared: str | None = None) -> Decoded:
    """Text from bytes: a BOM, the charset the server declared, UTF-8, the page's own <meta>
    charset, then the best confident guess (windows-1251 and KOI8-R included)."""
    # Windows editors save "Unicode" as UTF-16 with a BOM, whose NUL bytes would pass for binary.
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return Decoded(data.decode("utf-16"), [])
        except UnicodeDecodeError as error:
            raise UnreadableInput(
                f"cannot decode text as UTF-16 despite its BOM: {error}"
            ) from None
    if b"\x00" in data[:_BINARY_SNIFF_BYTES]:
        raise UnreadableInput(
            "binary file (NUL bytes in the first 8 kB); "
            "foglight reads .txt, .md, .html and .jsonl text files"
        )
    if declared:
        if declared.lower().replace("_", "-") in _DEFAULT_LABELS:
            # Servers send these by default; like browsers, believe valid UTF-8 bytes over
            # them, and read the rest as windows-1252 (latin-1 never fails, so never tells).
            try:
                return Decoded(data.decode("utf-8"), [])
            except UnicodeDecodeError:
                declared = "cp1252"
        try:
            return Decoded(data.decode(declared), [])
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong or unknown declaration: fall back to what the bytes say
    try:
        return Decoded(data.decode("utf-8-sig"), [])
    except UnicodeDecodeError:
        pass
    if html:
        declared_text = _declared_charset(data)
        if declared_text is not None:
            return Decoded(declared_text, [])
    best = charset_normalizer.from_bytes(data).best()
    if best is None or best.chaos > _MAX_CHAOS or best.coherence < _MIN_COHERENCE:
        raise UnreadableInput(
            "cannot decode text: not UTF-8 and no confident encoding guess; "
            "re-save the file as UTF-8"
        )
    return Decoded(
        str(best),
        [f"not UTF-8 and no charset declared: decoded as {best.encoding}, a guess from the bytes"],
    )


# Charset labels web servers send when nobody configured one.
_DEFAULT_LABELS = frozenset({"iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii"})

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def _declared_charset(data: bytes) -> str | None:
    """The page decoded with the charset its <meta> declares, if that works."""
    match = _META_CHARSET.search(data[:4096])
    if match is None:
        return None
    try:
        return data.decode(match.group(1).decode("ascii"))
    except (LookupError, UnicodeDecodeError):
        return None


def _normalise(text: str) -> str:
    text = text.replace("\r\n", "\n")
    text = INVISIBLE.sub("", text)
    text = _CONTROL.sub("", _OTHER_LINE_BREAK.sub("\n", text.replace("\r", "\n")))
    text = _OTHER_SPACE.sub(" ", text)
    return unicodedata.normalize("NFC", text)


@functools.cache
def _lookalikes() -> dict[str, str]:
    """Letters of other scripts that look like a Latin letter (``data/homoglyphs.yml``), and
    the fullwidth Latin letters, each with its Latin letter."""
    table = {str(k): str(v) for k, v in load_data("homoglyphs.yml").items()}
    for ascii_letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz":
        table[chr(ord(ascii_letter) + _FULLWIDTH_OFFSET)] = ascii_letter
    return table


# Fullwidth Latin letters (U+FF21-FF5A) stand this far above their ASCII letters.
_FULLWIDTH_OFFSET = 0xFEE0
_LOOKALIKE = re.compile(f"[{''.join(sorted(_lookalikes()))}]")
_LETTERS = re.compile(r"[^\W\d_]+")
# How many repaired words a warning quotes.
_WORDS_SHOWN = 3


def _is_letter(char: str) -> bool:
    """What ``[^\\W\\d_]`` matches: a word character that is no digit or underscore."""
    return char.isalnum() and not char.isdecimal()


def read_lookalikes_as_latin(text: str) -> tuple[str, list[str]]:
    """``text`` with each word that mixes Latin letters with look-alikes of other scripts
    (or is written in fullwidth letters) read as Latin, letter for letter, and the words
    repaired as "before → after". A word wholly in another script is left alone."""
    if text.isascii():
        return text, []
    table = _lookalikes()
    pieces: list[str] = []
    repaired: list[str] = []
    done = 0  # text[:done] is in pieces
    examined = 0  # the words before this are decided
    # From each look-alike to the ends of its word, once per word: linear in the text, where
    # a pattern around the look-alike would backtrack over every long run of letters.
    for hit in _LOOKALIKE.finditer(text):
        if hit.start() < examined:
            continue
        start = hit.start()
        while start > examined and _is_letter(text[start - 1]):
            start -= 1
        word_end = _LETTERS.match(text, hit.start())
        end = examined = word_end.end() if word_end else hit.end()
        word = text[start:end]
        fullwidth = any("\uff21" <= ch <= "\uff5a" for ch in word)
        mixed = any(ch.isascii() for ch in word)
        if (mixed or fullwidth) and all(ch.isascii() or ch in table for ch in word):
            read = "".join(table.get(ch, ch) for ch in word)
            repaired.append(f"{word} → {read}")
            pieces.append(text[done:start] + read)
            done = end
    pieces.append(text[done:])
    return "".join(pieces), repaired


# ---------------------------------------------------------------------------- formats


def _read_text(
    text: str, source: str, options: Options, meta: MetaRecord | None, warnings: list[str]
) -> Article:
    metadata, body = parse_front_matter(text)
    body = strip_markdown_links(body).strip()
    if not body:
        raise UnreadableInput("no article text: the body is empty or only whitespace")
    stated, extra = _stated_from_mapping(metadata, "front_matter")
    return _assemble(
        body, stated, extra, path=source, options=options, meta=meta, warnings=warnings
    )


def read_page(
    body: bytes,
    url: str,
    options: Options,
    *,
    charset: str | None = None,
    meta: MetaRecord | None = None,
) -> Article:
    """An article from a fetched web page: decoded by the charset the server declared (else
    the page's own, else a guess), extracted as an HTML file is, with the fetched url as its
    source (``meta`` may add what a feed said of it: publication date, outlet, title)."""
    if not body:
        raise UnreadableInput(f"{url}: empty page (0 bytes)")
    # The fetcher has already held the body to --max-page-bytes.
    decoded = _decode(body, html=True, declared=charset)
    given = meta or MetaRecord(published=None, outlet=None, url=None, title=None)
    article = _read_html(
        _normalise(decoded.text), url, options, replace(given, url=url), decoded.warnings
    )
    return replace(article, path=None)


# A page that opens its document or body, closes neither and stops short of a tag's end was cut
# off in transfer or storage (HTML5 lets a whole page omit both closing tags).
_HTML_OPENED = re.compile(r"<(?:html|body)\b", re.IGNORECASE)
_HTML_CLOSED = re.compile(r"</(?:html|body)\s*>", re.IGNORECASE)


def _read_html(
    text: str, source: str, options: Options, meta: MetaRecord | None, warnings: list[str]
) -> Article:
    # Reader comments are not the article; trafilatura includes them unless told not to.
    document = trafilatura.bare_extraction(text, with_metadata=True, include_comments=False)
    stated = _Stated("html")
    extra: dict[str, Any] = {}
    body = ""
    if isinstance(document, Document):
        body = _normalise(document.text or "").strip()
        stated.url = _clean(document.url)
        stated.title = _clean(document.title)
        stated.author = _clean(document.author)
        stated.published = _clean(document.date)
        stated.site_name = _clean(document.sitename)
        if stated.site_name:
            extra["site_name"] = stated.site_name
        if description := _clean(document.description):
            extra["summary"] = description
    if not body:
        body = _visible_text(text)
    if not body:
        raise UnreadableInput("no article text found in HTML")
    if (
        _HTML_OPENED.search(text)
        and not _HTML_CLOSED.search(text)
        and not text.rstrip().endswith(">")
    ):
        warnings = [
            *warnings,
            "the HTML ends before </body> and </html> (truncated?); the text before the end "
            "was stored",
        ]
    return _assemble(
        body, stated, extra, path=source, options=options, meta=meta, warnings=warnings
    )


class _VisibleTextParser(HTMLParser):
    """Collects the text a browser would show in the page body, one block per line."""

    _HIDDEN = frozenset({"head", "script", "style", "noscript", "template"})
    # fmt: off
    _BLOCKS = frozenset({
        "p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6",
        "section", "article", "header", "footer", "blockquote", "pre", "table", "ul", "ol",
    })
    # fmt: on

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body":
            # An unclosed <head> must not hide the whole page.
            self._hidden_depth = 0
        elif tag in self._HIDDEN:
            self._hidden_depth += 1
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._HIDDEN:
            self._hidden_depth = max(0, self._hidden_depth - 1)
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._hidden_depth:
            self.parts.append(data)


def _visible_text(html: str) -> str:
    """The page's visible body text, for pages trafilatura finds no article in."""
    parser = _VisibleTextParser()
    parser.feed(html)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return _normalise("\n".join(line for line in lines if line))


def _read_jsonl(
    text: str, source: str, options: Options, meta: MetaRecord | None, warnings: list[str]
) -> list[Article | IngestFailure]:
    results: list[Article | IngestFailure] = []
    has_text_field = parsed_any = False
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{source}{_LINE_MARK}{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            results.append(
                IngestFailure(where, f"not valid JSON ({error.msg} at column {error.colno})")
            )
            continue
        if not isinstance(record, dict):
            results.append(IngestFailure(where, 'not a JSON object; write {"text": ...} per line'))
            continue
        parsed_any = True
        has_text_field = has_text_field or "text" in record
        body = record.pop("text", None)
        # Invisible characters alone are no text either.
        body = _normalise(body).strip() if isinstance(body, str) else ""
        if not body:
            results.append(
                IngestFailure(where, 'no article text: the "text" field is missing or empty')
            )
            continue
        stated, extra = _stated_from_mapping(record, "jsonl")
        results.append(
            _assemble(
                body,
                stated,
                extra,
                path=where,
                options=options,
                meta=meta,
                warnings=warnings,
            )
        )
    if not results:
        raise UnreadableInput("no records: the file holds only blank lines")
    if parsed_any and not has_text_field:
        # Another JSONL file in the input folder (gold annotations, a meta file): one
        # failure for the file says so better than one per line.
        raise UnreadableInput(
            'not an article file: no line has a "text" field; '
            'foglight reads JSONL articles as one {"text": ...} object per line'
        )
    return results


# ---------------------------------------------------------------------------- metadata


def parse_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """Split a YAML header between ``---`` lines at the very top from the body."""
    first, newline, rest = text.partition("\n")
    if first.rstrip() != "---" or not newline:
        return {}, text
    lines = rest.split("\n")
    for index, line in enumerate(lines):
        if line.rstrip() in ("---", "..."):
            header = "\n".join(lines[:index])
            body = "\n".join(lines[index + 1 :])
            break
    else:
        raise BadMetadata(
            "malformed front matter: the --- on line 1 is never closed; "
            "end the header with a line holding only ---"
        )
    try:
        data = yaml.load(header, Loader=_FrontMatterLoader)
    except yaml.YAMLError as error:
        where, problem = "", str(error)
        if isinstance(error, yaml.MarkedYAMLError) and error.problem_mark is not None:
            # +2: the YAML starts on file line 2, after the opening ---, and marks count from 0.
            where = f" on line {error.problem_mark.line + 2}"
            problem = error.problem or problem
        raise BadMetadata(
            f"malformed front matter{where}: {problem}; "
            "quote values that contain ': ' or start with a special character"
        ) from None
    except (ValueError, LookupError, TypeError, RecursionError) as error:
        # PyYAML's constructors raise these for a tag that does not fit its value
        # ("!!int twelve") and its parser recurses once per level of nesting.
        raise BadMetadata(
            f"malformed front matter: {error.__class__.__name__}: {error}; "
            "write plain 'key: value' lines without YAML tags"
        ) from None
    if data is None:
        return {}, body
    if not isinstance(data, dict):
        raise BadMetadata("malformed front matter: expected 'key: value' lines")
    plain = _PlainData()
    return {str(key): plain.of(value, ()) for key, value in data.items()}, body


# Values a header may hold once its YAML aliases are expanded: a real header has a few dozen;
# nested aliases ("billion laughs") expand a few hundred bytes to billions.
_MAX_FRONT_MATTER_VALUES = 10_000


class _PlainData:
    """Front-matter values as JSON can hold them (the store keeps unknown keys in JSON): keys
    as strings, sets and tuples as lists, bytes, non-finite numbers and other objects as
    their text; a value that contains itself or expands past the limit is refused."""

    def __init__(self) -> None:
        self.values = 0

    def of(self, value: Any, within: tuple[int, ...]) -> Any:
        """``within`` holds the containers ``value`` sits in."""
        self.values += 1
        if self.values > _MAX_FRONT_MATTER_VALUES:
            raise BadMetadata(
                f"malformed front matter: over {_MAX_FRONT_MATTER_VALUES:,} values once its "
                "YAML aliases are expanded"
            )
        if isinstance(value, float) and not math.isfinite(value):
            return str(value)
        if isinstance(value, str | int | float | bool) or value is None:
            return value
        if id(value) in within:
            raise BadMetadata("malformed front matter: a value contains itself (a YAML anchor)")
        inside = (*within, id(value))
        if isinstance(value, dict):
            return {str(key): self.of(item, inside) for key, item in value.items()}
        if isinstance(value, list | tuple):
            return [self.of(item, inside) for item in value]
        if isinstance(value, set | frozenset):
            return sorted((self.of(item, inside) for item in value), key=str)
        if isinstance(value, bytes):
            return value.decode("utf-8", errors="replace")
        return str(value)


class _FrontMatterLoader(yaml.SafeLoader):
    """Safe YAML that keeps timestamps as written.

    PyYAML turns ``2099-13-45`` into a ValueError rather than a YAMLError, and date objects
    in ``extra`` would not survive JSON; the date is parsed later, with the other sources.
    """


def _timestamp_as_text(loader: _FrontMatterLoader, node: yaml.ScalarNode) -> str:
    return str(loader.construct_scalar(node))


_FrontMatterLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)

_DATE_KEYS = ("date", "published")
_OUTLET_KEYS = ("outlet", "site")


def _stated_from_mapping(data: Mapping[str, Any], origin: str) -> tuple[_Stated, dict[str, Any]]:
    """Split a front-matter or JSONL mapping into the keys foglight reads and the rest."""
    stated = _Stated(origin)
    extra: dict[str, Any] = {}
    for key, value in data.items():
        name = key.lower()
        if name == "url":
            stated.url = _clean(value)
        elif name == "title":
            stated.title = _clean(value)
        elif name == "author":
            stated.author = _clean(value)
        elif name in _DATE_KEYS:
            stated.published = stated.published or _clean(value)
        elif name in _OUTLET_KEYS:
            stated.outlet = stated.outlet or _clean(value)
        else:
            extra[key] = value
    return stated, extra


def _clean(value: Any) -> str | None:
    """A metadata value as a trimmed string; empty means not given."""
    if value is None:
        return None
    if isinstance(value, list):
        value = ", ".join(str(item) for item in value if item)
    text = _normalise(str(value)).strip()
    return text or None


_META_KEYS = frozenset({"file", "published", "outlet", "url", "title"})


def load_meta(path: Path) -> dict[str, MetaRecord]:
    """Read a ``--meta`` JSONL file into records keyed by file name (the basename)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise BadMetadata(
            f"cannot read the --meta file {path}: {error.strerror or error}"
        ) from None
    except UnicodeDecodeError:
        raise BadMetadata(f"the --meta file {path} is not UTF-8; re-save it as UTF-8") from None
    records: dict[str, MetaRecord] = {}
    first_line: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path} line {number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise BadMetadata(f"{where}: not valid JSON ({error.msg})") from None
        if not isinstance(record, dict) or not isinstance(record.get("file"), str):
            raise BadMetadata(f'{where}: expected an object with a "file" name')
        unknown = sorted(set(record) - _META_KEYS)
        if unknown:
            raise BadMetadata(
                f"{where}: unknown key {', '.join(unknown)}; "
                f"allowed keys are {', '.join(sorted(_META_KEYS))}"
            )
        name = Path(record["file"]).name
        if name in records:
            raise BadMetadata(f"{where}: {name} is already described on line {first_line[name]}")
        first_line[name] = number
        records[name] = MetaRecord(
            published=_meta_date(record.get("published"), where),
            outlet=_clean(record.get("outlet")),
            url=_clean(record.get("url")),
            title=_clean(record.get("title")),
        )
    return records


def _meta_date(value: Any, where: str) -> date | None:
    raw = _clean(value)
    if raw is None:
        return None
    parsed = _parse_date(raw)
    if not isinstance(parsed, date):
        raise BadMetadata(f'{where}: "published" must be a past date as YYYY-MM-DD, not {raw!r}')
    return parsed


def _assemble(
    text: str,
    stated: _Stated,
    extra: dict[str, Any],
    *,
    path: str,
    options: Options,
    meta: MetaRecord | None,
    warnings: list[str],
) -> Article:
    warnings = list(warnings)
    text, repaired = read_lookalikes_as_latin(text)
    if repaired:
        distinct = list(dict.fromkeys(repaired))
        more = f" and {len(distinct) - _WORDS_SHOWN} more" if len(distinct) > _WORDS_SHOWN else ""
        warnings.append(
            f"letters of other scripts that look Latin were read as Latin in {len(repaired)} "
            f"word(s): {', '.join(distinct[:_WORDS_SHOWN])}{more}"
        )
    url = (meta.url if meta else None) or stated.url
    title = (meta.title if meta else None) or stated.title
    published, published_from = _resolve_published(
        text, stated, url, extra, options, meta, warnings
    )
    outlet = (
        options.outlet
        or (meta.outlet if meta else None)
        or stated.outlet
        # A url's registrable domain before the page's display name, so that an outlet is
        # "cnn.com" whichever format its articles came in.
        or (outlet_from_url(url) if url else None)
        or stated.site_name
    )
    return Article(
        id=article_id_for(text),
        text=text,
        source=url or path,
        url=url,
        path=path,
        title=title,
        published=published,
        published_from=published_from,
        outlet=outlet,
        author=stated.author,
        extra=extra,
        warnings=tuple(warnings),
    )


# ---------------------------------------------------------------------------- dates


def _resolve_published(
    text: str,
    stated: _Stated,
    url: str | None,
    extra: dict[str, Any],
    options: Options,
    meta: MetaRecord | None,
    warnings: list[str],
) -> tuple[date | None, str]:
    """The publication date from the first source that gives a whole day, and that source;
    a stated date that is no real past date is ignored, with a warning."""
    if options.published is not None:
        return options.published, "flag"
    if meta is not None and meta.published is not None:
        return meta.published, "meta"
    if stated.published is not None:
        parsed = _parse_date(stated.published)
        if isinstance(parsed, date):
            return parsed, stated.origin
        if parsed is None:
            extra["ignored_date"] = stated.published
            warnings.append(
                f"the stated publication date {stated.published!r} is not a real date in the "
                "past; ignored"
            )
        else:
            extra["published_partial"] = parsed
    dateline = find_dateline_date(text)
    if dateline is not None:
        return dateline, "dateline"
    from_url = _date_from_url(url) if url else None
    if from_url is not None:
        return from_url, "url"
    return None, "unknown"


_MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
        start=1,
    )
}
_MONTH = (
    r"(?i:(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?"
    r"|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?)"
)
_WEEKDAY = r"(?:(?i:mon|tue(?:s)?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?i:day)?\.?,?\s+)?"
_ORDINAL = r"(?:st|nd|rd|th)?"
_DATE_FORMS = (
    # 7 December 2022, 10 August, 2022
    re.compile(rf"\b{_WEEKDAY}(?P<day>\d{{1,2}}){_ORDINAL}\s+{_MONTH},?\s+(?P<year>\d{{4}})\b"),
    # December 27, 2022 / Wednesday, June 25, 2025 / Oct 09 2022
    re.compile(rf"\b{_WEEKDAY}{_MONTH}\s+(?P<day>\d{{1,2}}){_ORDINAL},?\s+(?P<year>\d{{4}})\b"),
    # 2025-08-10
    re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})\b"),
)
_CLOCK = (
    r"(?:\s*(?:,|at|-|–)?\s*\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp]\.?[Mm]\.?)?(?:\s*[A-Z]{2,4})?)"
)
_CLOCK_THEN_END = re.compile(rf"{_CLOCK}[\s|•·]*$")
_LINE_END = re.compile(r"[\s|•·]*$")
# Wire-service dateline: "MOSCOW, Feb 24, 2025 (AFP) - ..."; the city is in capitals.
_WIRE_CITY = re.compile(r"^[A-Z][A-Z'’.\- ]{1,40}(?:,\s*[A-Z][\w.' -]{1,30})?,\s*$")
# The " date 2023-05-30 " marker some captures put before the text.
_DATE_MARKER = re.compile(r"\s*date\s+(\d{4}-\d{2}-\d{2})\b")
# An embedded post's attribution ("— Name (@handle) May 3, 2023") dates the post, not the article.
_EMBED_ATTRIBUTION = re.compile(r"^\s*[—–]|\(@\w+\)")
_DAY_VALUE = re.compile(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T\s].*)?")
_PARTIAL_VALUE = re.compile(r"(\d{4})(?:[-/](\d{1,2}))?")


def _parse_date(value: str) -> date | str | None:
    """A whole day; or "YYYY-MM"/"YYYY" when only that is given; or None if not a usable date."""
    value = value.strip()
    day_match = _DAY_VALUE.fullmatch(value)
    if day_match:
        return _valid_date(*(int(part) for part in day_match.groups()))
    partial = _PARTIAL_VALUE.fullmatch(value)
    if partial:
        year, month = partial.group(1), partial.group(2)
        if month is None:
            return year
        return f"{year}-{int(month):02d}" if 1 <= int(month) <= 12 else None
    for form in _DATE_FORMS[:2]:
        written = form.fullmatch(value)
        if written:
            return _date_from_match(written)
    return None


def _valid_date(year: int, month: int, day: int) -> date | None:
    """The date if it exists and is not in the future (a publication date cannot be)."""
    try:
        value = date(year, month, day)
    except ValueError:
        return None
    return value if value <= date.today() else None


def _date_from_match(match: re.Match[str]) -> date | None:
    month = match.group("month")
    number = int(month) if month.isdigit() else _MONTHS[month[:3].lower()]
    return _valid_date(int(match.group("year")), number, int(match.group("day")))


def find_dateline_date(text: str) -> date | None:
    """A publication date from a dateline or byline near the top of the text, if any.

    Only dates laid out as a dateline count: a leading ``date YYYY-MM-DD`` marker, a date
    ending a short byline or a line of its own (optionally with a clock time), or a wire
    dateline after a capitalised city. A date inside a sentence is the event's, not the
    article's.
    """
    marker = _DATE_MARKER.match(text)
    if marker:
        found = _parse_date(marker.group(1))
        if isinstance(found, date):
            return found
    offset = 0
    for line in text.split("\n"):
        if offset >= _DATELINE_WINDOW:
            break
        offset += len(line) + 1
        if _EMBED_ATTRIBUTION.search(line):
            continue
        for form in _DATE_FORMS:
            for match in form.finditer(line):
                if _is_dateline(line, match):
                    found = _date_from_match(match)
                    if found is not None:
                        return found
    return None


def _is_dateline(line: str, match: re.Match[str]) -> bool:
    before, after = line[: match.start()], line[match.end() :]
    if _WIRE_CITY.match(before):
        return True
    if _CLOCK_THEN_END.match(after):
        return True
    return bool(_LINE_END.fullmatch(after)) and len(before.split()) <= _BYLINE_MAX_WORDS


_URL_DATES = (
    re.compile(r"/(\d{4})/(\d{1,2})/(\d{1,2})(?=[/\-_.]|$)"),  # /2022/12/06/
    re.compile(r"/(\d{4})-(\d{2})-(\d{2})(?=[/\-_.]|$)"),  # /2025-05-16/
    re.compile(r"/((?:19|20)\d{2})(\d{2})(\d{2})(?=[/\-_.]|$)"),  # /20250408-
)


def _date_from_url(url: str) -> date | None:
    path = urlsplit(url).path
    for pattern in _URL_DATES:
        for match in pattern.finditer(path):
            found = _valid_date(*(int(part) for part in match.groups()))
            if found is not None:
                return found
    return None


# ---------------------------------------------------------------------------- text


_MARKDOWN_IMAGE = re.compile(r"!\[([^\[\]]*)\]\((?:[^()\s]|\([^()\s]*\))*(?:\s+\"[^\"]*\")?\)")
_MARKDOWN_LINK = re.compile(
    r"\[([^\[\]]*(?:\[[^\[\]]*\][^\[\]]*)*)\]\((?:[^()\s]|\([^()\s]*\))*(?:\s+\"[^\"]*\")?\)"
)


def strip_markdown_links(text: str) -> str:
    """Replace ``[anchor](url)`` with its anchor and ``![alt](url)`` with its alt text."""
    # Images first, so a linked image "[![alt](img)](url)" becomes "[alt](url)" and then "alt".
    return _MARKDOWN_LINK.sub(r"\1", _MARKDOWN_IMAGE.sub(r"\1", text))


def outlet_from_url(url: str) -> str | None:
    """The registrable domain of a url ("edition.cnn.com" -> "cnn.com"), from offline data."""
    extracted = _TLD_EXTRACT(url)
    if not extracted.domain or not extracted.suffix:
        return None
    return extracted.top_domain_under_public_suffix.lower()
