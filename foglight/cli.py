"""The command line: a thin shell over the library. Every command has ``--help`` with an
example; list commands take ``--json``."""

from __future__ import annotations

import csv
import functools
import io
import ipaddress
import json
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from foglight.engines import open_engine
from foglight.errors import FoglightError
from foglight.feeds import PollSummary, fetch_urls, parse_every, watch
from foglight.fetch import DEFAULT_MAX_PAGE_BYTES, DEFAULT_TIMEOUT_SECONDS, Fetcher, FetchOptions
from foglight.ingest import iter_input_files, load_meta
from foglight.models import Count, Event, TargetType, Weapon
from foglight.options import DEFAULT_MAX_BYTES, Options
from foglight.outlets import compare as compare_event
from foglight.outlets import profiles as outlet_profiles
from foglight.outlets import tally
from foglight.pipeline import IngestSummary, ingest, skipped_inputs
from foglight.store import STORED, EventFilter, Store, shown_url

DB_HELP = (
    "Database: a SQLite file path, or a PostgreSQL URL such as "
    "postgresql://user:password@host:5432/dbname (also read from FOGLIGHT_DB, which keeps a "
    "password off the command line)."
)
DB_OPTION = click.option(
    "--db", default="foglight.db", show_default=True, envvar="FOGLIGHT_DB", help=DB_HELP
)
err = Console(stderr=True)
# Piped output (make demo, files) gets a wide console so tables do not fold every cell.
out = Console(width=None if sys.stdout.isatty() else 160)


def _date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} is not a date; use YYYY-MM-DD") from exc


def _open(db: str, read_only: bool = False) -> Store:
    try:
        return Store(db, read_only=read_only)
    except FoglightError as exc:
        raise click.ClickException(str(exc)) from exc


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="foglight")
def main() -> None:
    """foglight: news reporting on armed conflict → a sourced, mapped event ledger.

    \b
    Example:
      foglight ingest examples/articles --db demo.db
      foglight events --db demo.db
    """


@main.command("ingest")
@click.argument("paths", nargs=-1, type=click.Path())
@DB_OPTION
@click.option(
    "--meta",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="JSONL mapping file names to published/outlet/url/title.",
)
@click.option("--published", callback=_date, help="Publication date for every input.")
@click.option("--outlet", help="Outlet name for every input.")
@click.option(
    "--max-bytes",
    default=DEFAULT_MAX_BYTES,
    show_default=True,
    help="Refuse input files larger than this.",
)
@click.option(
    "--processes", default=1, show_default=True, help="spaCy worker processes for parsing."
)
@click.option(
    "--keep-copies",
    is_flag=True,
    help="Analyse syndicated or near-duplicate copies of stored articles as articles of "
    "their own, instead of listing them with the article they copy.",
)
@click.option(
    "--engine",
    type=click.Choice(["local", "dask"]),
    default="local",
    show_default=True,
    help="Analyse in this process, or on a Dask cluster (the ledger is the same either way).",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    help="With --engine dask: start a local cluster of this many worker processes "
    "(default: one per CPU).",
)
@click.option(
    "--scheduler",
    metavar="tcp://HOST:PORT",
    help="With --engine dask: use the running cluster of this scheduler instead (every "
    "worker needs foglight installed).",
)
@click.option(
    "--retry-failed",
    is_flag=True,
    help="Also read again every input that `foglight failures` lists as skipped (with the "
    "other options given here).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def ingest_command(
    paths: tuple[str, ...],
    db: str,
    meta: Path | None,
    published: date | None,
    outlet: str | None,
    max_bytes: int,
    processes: int,
    keep_copies: bool,
    engine: str,
    workers: int | None,
    scheduler: str | None,
    retry_failed: bool,
    as_json: bool,
) -> None:
    """Read articles (.txt, .md, .html, .jsonl; folders recursively), find the attacks they
    report and store them. A bad input is recorded with its reason and skipped; the rest
    lands. Each article is written in one transaction, so a run that is killed can simply
    be run again.

    \b
    Example:
      foglight ingest ../shared/seeds --meta ../shared/seeds/meta.jsonl --db seeds.db
      foglight ingest archive/ --engine dask --workers 2 --db postgresql://me@db/ledger
      foglight ingest --retry-failed --db seeds.db

    Exit status 0 when anything was ingested (or was already stored), or when there was
    nothing to retry; 2 when every input failed.
    """
    options = Options(
        db=db,
        meta=meta,
        published=published,
        outlet=outlet,
        max_bytes=max_bytes,
        n_process=processes,
        fold_copies=not keep_copies,
        engine=engine,
        workers=workers,
        scheduler=scheduler,
    )
    if engine != "dask" and (workers is not None or scheduler is not None):
        raise click.UsageError("--workers and --scheduler go with --engine dask")
    if workers is not None and scheduler is not None:
        raise click.UsageError(
            "give --workers (start a local cluster) or --scheduler (use a running one), "
            "not both"
        )
    if meta is not None:
        # Checked before anything is read: a bad --meta file is a mistake in this command, not
        # an input to record and retry.
        try:
            load_meta(meta)
        except FoglightError as exc:
            raise click.UsageError(str(exc)) from exc
    store = _open(db)
    if retry_failed:
        skipped = skipped_inputs(store)
        if skipped.urls:
            err.print(
                f"{len(skipped.urls)} skipped url(s) are pages, not files: "
                "`foglight fetch --retry-failed` fetches them again"
            )
        if not paths and not skipped.paths:
            err.print("nothing to retry: no input file is listed as skipped")
            return
        paths = (*paths, *skipped.paths)
    elif not paths:
        raise click.UsageError("give the files or folders to read, or --retry-failed")
    total = sum(1 for _ in iter_input_files(paths, options))
    try:
        with open_engine(options) as runner, _progress("ingest", total, as_json) as advance:
            summary = ingest(paths, options, store, progress=advance, engine=runner)
    except FoglightError as exc:
        raise click.ClickException(str(exc)) from exc
    _print_summary(summary, shown_url(db), as_json)
    if summary.new == 0 and summary.unchanged == 0 and summary.copies == 0:
        sys.exit(2)


def _network_options(func: Any) -> Any:
    """The options of the commands that reach the network; the command receives them as one
    ``fetch_options``."""

    @functools.wraps(func)
    def with_network(
        *args: Any, allow_private: bool, timeout: float, max_page_bytes: int, **kwargs: Any
    ) -> Any:
        fetch_options = FetchOptions(
            allow_private=allow_private, timeout=timeout, max_bytes=max_page_bytes
        )
        return func(*args, fetch_options=fetch_options, **kwargs)

    for option in reversed(
        [
            click.option(
                "--allow-private",
                is_flag=True,
                help="Also fetch from loopback, private and link-local addresses (your own "
                "network). Off by default, so a feed cannot make foglight probe it.",
            ),
            click.option(
                "--timeout",
                default=DEFAULT_TIMEOUT_SECONDS,
                show_default=True,
                help="Seconds to wait for a server.",
            ),
            click.option(
                "--max-page-bytes",
                default=DEFAULT_MAX_PAGE_BYTES,
                show_default=True,
                help="Stop reading a page or feed larger than this.",
            ),
        ]
    ):
        with_network = option(with_network)
    return with_network


@main.command("fetch")
@click.argument("urls", nargs=-1)
@DB_OPTION
@_network_options
@click.option(
    "--retry-failed",
    is_flag=True,
    help="Also fetch again every page that `foglight failures` lists as skipped.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def fetch_command(
    urls: tuple[str, ...],
    db: str,
    fetch_options: FetchOptions,
    retry_failed: bool,
    as_json: bool,
) -> None:
    """Download article pages and ingest them: redirects followed (each hop checked), size
    and time limited, charset detected (windows-1251 and KOI8-R included), text extracted
    with trafilatura, robots.txt obeyed. Hosts on loopback or private addresses are refused
    unless --allow-private is given.

    \b
    Example:
      foglight fetch https://example.org/2024/05/06/refinery-strike --db live.db
      foglight fetch --retry-failed --db live.db

    Exit status 0 when anything was ingested (or was already stored), or when there was
    nothing to retry; 2 when every url failed.
    """
    store = _open(db)
    if retry_failed:
        urls = tuple(dict.fromkeys((*urls, *skipped_inputs(store).urls)))
        if not urls:
            err.print("nothing to retry: no page is listed as skipped")
            return
    elif not urls:
        raise click.UsageError("give the urls to fetch, or --retry-failed")
    options = Options(db=db)
    with Fetcher(fetch_options) as fetcher, _progress("fetch", len(urls), as_json) as advance:
        summary = fetch_urls(list(urls), fetcher, options, store, progress=advance)
    _print_summary(summary, shown_url(db), as_json)
    if summary.new == 0 and summary.unchanged == 0 and summary.copies == 0:
        sys.exit(2)


@main.command("watch")
@click.argument("feeds", nargs=-1, required=True)
@DB_OPTION
@click.option(
    "--every",
    default="15m",
    show_default=True,
    help="How often to poll: 15m, 1h, 90s, 2d (at least a minute).",
)
@click.option("--once", is_flag=True, help="Poll every feed once and exit.")
@_network_options
@click.option("--json", "as_json", is_flag=True, help="One JSON summary line per poll.")
def watch_command(
    feeds: tuple[str, ...],
    db: str,
    every: str,
    once: bool,
    fetch_options: FetchOptions,
    as_json: bool,
) -> None:
    """Poll RSS/Atom feeds (urls or local files) and ingest every new item's page. Feeds are
    requested conditionally (ETag, Last-Modified), each item is fetched once, each host at
    most once a second, 429 and 5xx answers are retried with backoff, robots.txt is obeyed;
    a failing feed or page is logged and retried on the next poll. Ctrl+C stops (exit
    status 130); with --once, the exit status is 2 when every feed failed.

    \b
    Example:
      foglight watch https://example.org/world/rss.xml feeds/local.xml --every 15m --db live.db
    """
    try:
        seconds = parse_every(every)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--every") from exc
    store = _open(db)
    options = Options(db=db)

    polls: list[PollSummary] = []

    def report(summary: PollSummary) -> None:
        polls.append(summary)
        if as_json:
            click.echo(
                json.dumps(
                    {
                        "at": datetime.now(UTC).isoformat(timespec="seconds"),
                        **asdict(summary),
                        "failures": [
                            {"source": f.source, "reason": f.reason} for f in summary.failures
                        ],
                    }
                )
            )
            return
        for failure in summary.failures:
            err.print(f"[yellow]failed[/yellow] {escape(failure.source)}: {escape(failure.reason)}")
        err.print(
            f"{datetime.now().strftime('%H:%M:%S')} poll of {summary.feeds} feeds "
            f"({summary.feeds_unchanged} not modified, {summary.feeds_failed} failed): "
            f"[bold]{summary.new}[/bold] new, {summary.unchanged} unchanged, "
            f"{summary.copies} copies, {summary.failed} failed; {summary.events} new events"
        )

    def progress(source: str, outcome: str) -> None:
        if not as_json:
            err.print(f"[dim]{outcome}: {escape(source)}[/dim]")

    with Fetcher(fetch_options) as fetcher:
        try:
            watch(
                list(feeds),
                seconds,
                fetcher,
                options,
                store,
                on_poll=report,
                sleep=time.sleep,
                polls=1 if once else None,
                progress=progress,
            )
        except KeyboardInterrupt:
            err.print("stopped")
            sys.exit(130)
    last = polls[-1] if polls else None
    if once and last is not None and last.feeds_failed == last.feeds and last.new == 0:
        sys.exit(2)


@contextmanager
def _progress(label: str, total: int | None, quiet: bool) -> Iterator[Callable[[str, str], None]]:
    with Progress(
        TextColumn(f"[bold]{label}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=quiet,
    ) as bar:
        task = bar.add_task("", total=total or None)

        def advance(source: str, _outcome: str) -> None:
            bar.update(task, advance=1, description=source.rsplit("/", 1)[-1][:40])

        yield advance


def _print_summary(summary: IngestSummary, db: str, as_json: bool) -> None:
    if as_json:
        click.echo(
            json.dumps(
                {
                    "new": summary.new,
                    "unchanged": summary.unchanged,
                    "copies": summary.copies,
                    "failed": summary.failed,
                    "events": summary.events,
                    "joined": summary.joined,
                    "db": db,
                    "failures": [
                        {"source": f.source, "reason": f.reason} for f in summary.failures
                    ],
                    "warnings": [
                        {"source": w.source, "reason": w.reason} for w in summary.warnings
                    ],
                },
                indent=2,
            )
        )
        return
    for source in summary.unchanged_sources:
        err.print(f"[dim]unchanged: {escape(source)} is already stored (same text); skipped[/dim]")
    for failure in summary.failures:
        err.print(f"[yellow]skipped[/yellow] {escape(failure.source)}: {escape(failure.reason)}")
    for warning in summary.warnings:
        err.print(f"[yellow]warning[/yellow] {escape(warning.source)}: {escape(warning.reason)}")
    copies = f", {summary.copies} copies of stored articles" if summary.copies else ""
    err.print(
        f"articles: [bold]{summary.new}[/bold] new, {summary.unchanged} unchanged{copies}, "
        f"{summary.failed} failed; events found: [bold]{summary.events}[/bold] "
        f"({summary.joined} joined events reported elsewhere); "
        f"database: {escape(db)}"
    )


def _filter_options(func: Any) -> Any:
    """Add the event filter options; the command receives them as one ``filters``."""

    @functools.wraps(func)
    def with_filters(
        *args: Any,
        since: str | None,
        until: str | None,
        country: str | None,
        weapon: str | None,
        place: str | None,
        target: str | None,
        outlet: str | None,
        disputed: bool,
        **kwargs: Any,
    ) -> Any:
        filters = EventFilter(
            since=since,
            until=until,
            country=country,
            weapon=weapon,
            place=place,
            target=target,
            outlet=outlet,
            disputed=disputed,
        )
        return func(*args, filters=filters, **kwargs)

    for option in reversed(
        [
            click.option("--since", help="Events on or after this date (YYYY-MM-DD)."),
            click.option("--until", help="Events on or before this date (YYYY-MM-DD)."),
            click.option("--country", help="ISO 3166-1 alpha-2 country code, e.g. RU."),
            click.option(
                "--weapon",
                type=click.Choice([w.value for w in Weapon]),
                help="Weapon class.",
            ),
            click.option("--place", help="Place or region name (substring)."),
            click.option(
                "--target",
                type=click.Choice([t.value for t in TargetType]),
                help="Target type.",
            ),
            click.option("--outlet", help="Events reported by this outlet, e.g. cnn.com."),
            click.option("--disputed", is_flag=True, help="Only events whose sources disagree."),
        ]
    ):
        with_filters = option(with_filters)
    return with_filters


@main.command("events")
@DB_OPTION
@_filter_options
@click.option("--json", "as_json", is_flag=True, help="One JSON object per event (export shape).")
def events_command(
    db: str,
    filters: EventFilter,
    as_json: bool,
) -> None:
    """List stored events.

    \b
    Example:
      foglight events --country RU --weapon drone --since 2022-12-01
    """
    store = _open(db)
    if as_json:
        for record in store.export_records(filters):
            click.echo(json.dumps(record, ensure_ascii=False))
        return
    print_events(store.events(filters), out)


def print_events(evs: list[Event], console: Console) -> None:
    table = Table(show_lines=False, highlight=False)
    for column in (
        "id",
        "date",
        "place",
        "country",
        "weapon",
        "target",
        "attacker",
        "outcome",
        "killed",
        "injured",
        "mentions",
    ):
        table.add_column(column)
    for ev in evs:
        table.add_row(
            ev.id,
            ev.date.value or "?",
            escape(ev.place.name or "(country)"),
            ev.place.country or "",
            ev.weapon.value,
            ev.target_type.value,
            ev.attacker,
            ev.outcome.value,
            _figure(ev.killed),
            _figure(ev.injured),
            str(len(ev.mentions)),
        )
    console.print(table)
    console.print(f"{len(evs)} events")


def _figure(count: Count | None) -> str:
    return "" if count is None else str(count)


@main.command("show")
@click.argument("event_id")
@DB_OPTION
@click.option("--json", "as_json", is_flag=True, help="The event in export shape.")
def show_command(event_id: str, db: str, as_json: bool) -> None:
    """Show one event with every mention: outlet, date, sentence, attribution, certainty.

    \b
    Example:
      foglight show 3f2a9c0d41e8b7a2
    """
    store = _open(db)
    ev = store.event(event_id)
    if ev is None:
        raise click.ClickException(f"no event {event_id!r} in {db}; `foglight events` lists ids")
    meta = store.articles_by_id([m.article_id for m in ev.mentions])
    event_claims = store.claims_of([ev.id])[ev.id]
    from foglight.store import export_record

    record = export_record(ev, meta, event_claims)
    if as_json:
        click.echo(json.dumps(record, ensure_ascii=False, indent=2))
        return
    place = ev.place
    out.print(
        f"[bold]{ev.id}[/bold]  "
        + escape(
            f"{ev.date.value or 'date unknown'} ({ev.date.precision})  "
            f"{place.name or '(country only)'}, {place.admin1 or '-'}, {place.country or '-'} "
            f"[{place.precision}]  {place.lat}, {place.lon}"
        )
    )
    out.print(
        escape(
            f"weapon {ev.weapon}  target {ev.target_type}  attacker {ev.attacker}  "
            f"outcome {ev.outcome}  killed {_figure(ev.killed) or '-'}  "
            f"injured {_figure(ev.injured) or '-'}"
        )
    )
    for m in record["mentions"]:
        according = f" — according to {', '.join(m['attributed_to'])}" if m["attributed_to"] else ""
        out.print(
            escape(
                f"\n• {m['outlet'] or '?'}  published {m['published'] or '?'}  "
                f"{m['certainty']}{according}"
            )
        )
        out.print(f"  “{m['sentence'].strip()}”", markup=False, highlight=False)
        if m.get("merge_reason"):
            out.print(f"  merged: {m['merge_reason']}", markup=False, style="cyan")
        out.print(f"  {m['source']} [{m['start']}:{m['end']}]", markup=False, style="dim")
    if record["disagreements"]:
        out.print("\n[bold yellow]sources disagree[/bold yellow]")
        for d in record["disagreements"]:
            values = "; ".join(
                f"{v['value']} ({len(v['article_ids'])} article(s))" for v in d["values"]
            )
            out.print(f"  {d['field']}: {values}", markup=False)


@main.command("outlets")
@DB_OPTION
@click.option("--json", "as_json", is_flag=True, help="One JSON object per outlet.")
def outlets_command(db: str, as_json: bool) -> None:
    """How each outlet tells it: whom it quotes (by side), the terms it uses, the share of
    attacks it asserts in its own voice or hedges, and the events it covers or leaves out.

    \b
    Example:
      foglight outlets --db seeds.db
      foglight outlets --db seeds.db --json | jq '.[] | {outlet, terms}'

    Every figure comes from rows with their sentences: tables quotes, term_uses,
    opinion_signals and mentions in the database.
    """
    found = outlet_profiles(_open(db))
    if as_json:
        click.echo(json.dumps([p.to_json() for p in found], ensure_ascii=False, indent=2))
        return
    if not found:
        err.print(f"no articles in {db}; run `foglight ingest` first")
        return
    table = Table(show_lines=True)
    table.add_column("outlet", no_wrap=True)
    for column in ("articles", "quoted (by side)", "terms (own voice)", "stance"):
        table.add_column(column, overflow="fold")
    table.add_column("events", justify="right")
    table.add_column("opinion signals", overflow="fold")
    for p in found:
        stance = "\n".join(
            f"{label} {_percent(share)}"
            for label, share in (
                ("asserted", p.asserted_share),
                ("attributed", p.attributed_share),
                ("hedged", p.hedged_share),
                ("denied", p.denied_share),
            )
        )
        missed = f"\nmissed {len(p.missed_event_ids)}" if p.missed_event_ids else ""
        table.add_row(
            escape(p.outlet or "(unknown outlet)"),
            str(p.articles),
            escape(tally(p.quoted)),
            escape(tally(p.terms, limit=8)),
            stance,
            f"{p.events}{missed}",
            escape(tally(p.signals)),
        )
    out.print(table)


def _percent(share: float | None) -> str:
    return "-" if share is None else f"{share:.0%}"


@main.command("compare")
@click.argument("event_id")
@DB_OPTION
@click.option("--json", "as_json", is_flag=True, help="The comparison as JSON.")
def compare_command(event_id: str, db: str, as_json: bool) -> None:
    """One event as each outlet tells it, side by side: sentence, figures, attribution,
    certainty and terms. Rows where the accounts differ are marked ≠.

    \b
    Example:
      foglight compare 3f2a9c0d41e8b7a2 --db seeds.db
    """
    comparison = compare_event(_open(db), event_id)
    if comparison is None:
        raise click.ClickException(f"no event {event_id!r} in {db}; `foglight events` lists ids")
    if as_json:
        click.echo(json.dumps(comparison.to_json(), ensure_ascii=False, indent=2))
        return
    out.print(
        f"[bold]{comparison.event_id}[/bold]  "
        + escape(
            f"{comparison.date or 'date unknown'}  {comparison.place or '(no place)'}, "
            f"{comparison.country or '-'}  {comparison.weapon}"
        )
    )
    table = Table(show_lines=True)
    table.add_column("")
    for a in comparison.accounts:
        table.add_column(escape(f"{a.outlet or a.source}\n{a.published or 'undated'}"), ratio=1)
    for row in comparison.rows():
        table.add_row(
            f"[bold yellow]≠ {row.label}[/bold yellow]" if row.differs else row.label,
            *(escape(v) for v in row.values),
        )
    out.print(table)


@main.command("disputes")
@DB_OPTION
@_filter_options
@click.option("--json", "as_json", is_flag=True, help="One JSON object per disputed event.")
def disputes_command(
    db: str,
    filters: EventFilter,
    as_json: bool,
) -> None:
    """List events whose sources disagree: each conflicting field, its values and who
    reported each (outlet, and whom the outlet attributes it to).

    \b
    Example:
      foglight disputes --country RU --json
    """
    store = _open(db)
    disputed = list(store.export_records(replace(filters, disputed=True)))
    rows = [dispute_summary(r) for r in disputed]
    if as_json:
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False))
        return
    for row in rows:
        out.print(
            f"{row['id']}  {row['date'] or '?'}  {row['place'] or '(country)'}",
            markup=False,
            style="bold",
        )
        for field in row["fields"]:
            values = "; ".join(
                f"{v['value']} ({', '.join(v['reported_by'])})" for v in field["values"]
            )
            out.print(f"  {field['field']}: {values}", markup=False)
    out.print(f"{len(rows)} disputed events")


def dispute_summary(record: dict[str, Any]) -> dict[str, Any]:
    """An exported event reduced to its conflicting fields, each value with its reporters."""
    outlet_of = {m["article_id"]: m["outlet"] or m["source"] for m in record["mentions"]}
    fields = []
    for disagreement in record["disagreements"]:
        values = []
        for value in disagreement["values"]:
            reporters = []
            for claim in record["claims"]:
                if claim["field"] == disagreement["field"] and claim["value"] == value["value"]:
                    who = outlet_of.get(claim["article_id"], claim["article_id"])
                    if claim["attributed_to"]:
                        who += " citing " + ", ".join(claim["attributed_to"])
                    if who not in reporters:
                        reporters.append(who)
            values.append({"value": value["value"], "reported_by": reporters})
        fields.append({"field": disagreement["field"], "values": values})
    return {
        "id": record["id"],
        "date": record["date"],
        "place": record["place"]["name"],
        "country": record["place"]["country"],
        "fields": fields,
    }


ACLED_COLUMNS = (
    "event_date",
    "event_type",
    "sub_event_type",
    "actor1",
    "country",
    "admin1",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "time_precision",
    "source",
    "notes",
    "fatalities",
)


def _acled_row(record: dict[str, Any]) -> dict[str, Any]:
    """ACLED's column names; ACLED codes an interception as a disrupted weapons use."""
    place = record["place"]
    intercepted = record["outcome"] in ("intercepted", "mostly_intercepted", "failed")
    sub = (
        "Disrupted weapons use"
        if intercepted
        else "Air/drone strike"
        if record["weapon"] in ("drone", "sea_drone", "aircraft")
        else "Remote explosive/landmine/IED"
        if record["weapon"] == "explosive"
        else "Shelling/artillery/missile attack"
    )
    event_type = "Strategic developments" if intercepted else "Explosions/Remote violence"
    geo = {"facility": 1, "settlement": 1, "admin1": 3, "country": 3}.get(place["precision"])
    time = {"day": 1, "month": 3, "year": 3}.get(record["date_precision"])
    actors = {"UA": "Military Forces of Ukraine", "RU": "Military Forces of Russia"}
    return {
        "event_date": record["date"] or "",
        "event_type": event_type,
        "sub_event_type": sub,
        "actor1": actors.get(record["attacker"], ""),
        "country": place["country"] or "",
        "admin1": place["admin1"] or "",
        "location": place["name"] or "",
        "latitude": place["lat"] if place["lat"] is not None else "",
        "longitude": place["lon"] if place["lon"] is not None else "",
        "geo_precision": geo or "",
        "time_precision": time or "",
        "source": "; ".join(sorted({m["outlet"] or m["source"] for m in record["mentions"]})),
        "notes": " | ".join(m["sentence"].strip() for m in record["mentions"])[:2000],
        "fatalities": record["killed"]["min"] if record["killed"] else 0,
    }


def render_export(records: Iterator[dict[str, Any]], fmt: str) -> Iterator[str]:
    if fmt == "jsonl":
        for record in records:
            yield json.dumps(record, ensure_ascii=False) + "\n"
    elif fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=ACLED_COLUMNS)
        writer.writeheader()
        for record in records:
            writer.writerow(_acled_row(record))
        yield buffer.getvalue()
    else:
        features = []
        for record in records:
            place = record["place"]
            geometry = (
                None
                if place["lat"] is None
                else {"type": "Point", "coordinates": [place["lon"], place["lat"]]}
            )
            properties = {k: v for k, v in record.items() if k not in ("claims",)}
            features.append(
                {
                    "type": "Feature",
                    "id": record["id"],
                    "geometry": geometry,
                    "properties": properties,
                }
            )
        yield (
            json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False)
            + "\n"
        )


@main.command("export")
@DB_OPTION
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "csv", "geojson"]),
    default="jsonl",
    show_default=True,
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file instead of standard output.",
)
@_filter_options
def export_command(
    db: str,
    fmt: str,
    output: Path | None,
    filters: EventFilter,
) -> None:
    """Export events: JSONL as spec/export.md, CSV with ACLED's columns, or GeoJSON.

    \b
    Example:
      foglight export --format csv -o events.csv
    """
    store = _open(db)
    chunks = render_export(store.export_records(filters), fmt)
    if output is None:
        for chunk in chunks:
            sys.stdout.write(chunk)
        return
    with output.open("w", encoding="utf-8", newline="") as handle:
        for chunk in chunks:
            handle.write(chunk)
    err.print(f"wrote {output}")


@main.command("serve")
@DB_OPTION
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on. Anything but loopback exposes the ledger to the network.",
)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
def serve_command(db: str, host: str, port: int) -> None:
    """Browse the ledger in a web browser: a map with a timeline, event pages with every
    outlet's claims side by side, articles, outlets, search, and a JSON API (/api/...,
    described at /openapi.json). Read-only: nothing a page does changes the database.

    \b
    Example:
      foglight serve --db seeds.db --port 8000    # then open http://127.0.0.1:8000/
    """
    import uvicorn

    from foglight.web.app import create_app

    try:
        app = create_app(db)
    except FoglightError as exc:
        raise click.ClickException(str(exc)) from exc
    if not _is_loopback(host):
        err.print(
            f"[bold yellow]warning:[/bold yellow] listening on {escape(host)}: anyone who can "
            "reach this machine can read the ledger. foglight serve has no login."
        )
    err.print(
        f"foglight: serving {escape(db)} at http://{escape(_url_host(host))}:{port}/ (Ctrl+C stops)"
    )
    uvicorn.run(app, host=host, port=port, log_level="warning")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


@main.command("report")
@DB_OPTION
@_filter_options
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The HTML file to write.",
)
def report_command(db: str, filters: EventFilter, output: Path) -> None:
    """Write one self-contained HTML file: map, timeline, event list with every sentence,
    and the outlet table, with all scripts, styles and borders inside. It opens from disk
    with no server and fetches nothing, so it can be sent to a colleague.

    \b
    Example:
      foglight report -o kursk.html --db seeds.db --country RU --since 2022-12-01
    """
    from foglight.web.report import render_report

    store = _open(db, read_only=True)
    try:
        html = render_report(store, filters)
    except FoglightError as exc:
        raise click.ClickException(str(exc)) from exc
    output.write_text(html, encoding="utf-8")
    err.print(f"wrote {escape(str(output))} ({len(html.encode()) / 1e6:.1f} MB)")


@main.command("failures")
@DB_OPTION
@click.option("--json", "as_json", is_flag=True, help="As a JSON list.")
def failures_command(db: str, as_json: bool) -> None:
    """List inputs that were skipped, and why; then inputs that were stored after a repair
    or a guess worth checking (an encoding guessed, a truncated page, a date that is no
    date, look-alike letters). Each row's outcome is "skipped" or "stored".

    \b
    Example:
      foglight failures --json
      foglight ingest --retry-failed      # read the skipped inputs again
    """
    rows = _open(db).failures()
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    stored = [row for row in rows if row["outcome"] == STORED]
    skipped = [row for row in rows if row["outcome"] != STORED]
    for heading, group in (("skipped", skipped), ("stored with a warning", stored)):
        if group:
            out.print(f"{heading}:", markup=False, highlight=False)
        for row in group:
            out.print(f"  {row['source']}: {row['reason']}", markup=False, highlight=False)
    out.print(f"{len(skipped)} skipped, {len(stored)} stored with a warning")


@main.command("migrate")
@DB_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print the revision as JSON.")
def migrate_command(db: str, as_json: bool) -> None:
    """Bring a database to this foglight's schema (Alembic migrations, on SQLite and
    PostgreSQL alike). Writing commands do this themselves; run it for a database that
    `foglight serve` refuses as older, or to create an empty ledger.

    \b
    Example:
      foglight migrate --db postgresql://foglight@db.example:5432/ledger
    """
    store = _open(db)
    store.close()
    if as_json:
        click.echo(json.dumps({"db": store.name, "revision": store.revision}))
        return
    out.print(f"{store.name}: schema at revision {store.revision} (latest)", markup=False)


@main.command("eval")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--articles",
    "articles_dir",
    required=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="The folder of the annotated articles.",
)
@click.option(
    "--meta",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="JSONL mapping file names to published/outlet (as for ingest).",
)
@click.option("--db", help="Keep the database of this run here (default: a temporary file).")
@click.option("--json", "as_json", is_flag=True, help="The full report as JSON.")
@click.option("--details", is_flag=True, help="List matches, misses and false positives.")
def eval_command(
    gold: Path, articles_dir: Path, meta: Path | None, db: str | None, as_json: bool, details: bool
) -> None:
    """Ingest an annotated folder and score the events against gold (spec/scoring.md).

    \b
    Example:
      foglight eval ../shared/dev/gold.jsonl --articles ../shared/dev/articles
    """
    from foglight.evaluate import evaluate, load_gold

    try:
        gold_articles = load_gold(gold)
    except FoglightError as exc:
        raise click.ClickException(str(exc)) from exc
    with tempfile.TemporaryDirectory() as tmp:
        store = _open(db or str(Path(tmp) / "eval.db"))
        try:
            ingest([articles_dir], Options(meta=meta), store)
            records = list(store.export_records())
        finally:
            store.close()
    report = evaluate(records, gold_articles, articles_dir)
    if as_json:
        click.echo(json.dumps(report.to_json(), indent=2))
        return
    out.print(
        f"events: precision {report.precision:.3f}  recall {report.recall:.3f}  "
        f"F1 {report.f1:.3f}  (tp {report.tp}, fp {report.fp}, fn {report.fn})"
    )
    for name, score in report.attributes.items():
        acc = "n/a" if score.accuracy is None else f"{score.accuracy:.3f}"
        out.print(f"  {name:12s} {acc}  ({score.correct}/{score.total})")
    if report.merge_precision is not None or report.merge_recall is not None:
        out.print(f"merge: precision {report.merge_precision}  recall {report.merge_recall}")
    if details:
        for article in report.articles:
            out.print(
                json.dumps(article.to_json(), ensure_ascii=False), markup=False, highlight=False
            )
