"""``foglight serve``: the ledger as web pages and a REST API, read-only, on one's own machine.

Pages (HTML, Jinja templates) and API endpoints (JSON, ``/openapi.json``) call the same
functions of ``foglight.service`` and render the same typed records. The database is opened
read-only, every route is a GET, ids and filters are validated before they reach a
parameterised query, every page is served with a Content-Security-Policy that forbids inline
script, and article text is escaped wherever it is shown.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import FastAPI, HTTPException, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from foglight import __version__
from foglight.outlets import Comparison, OutletProfile, ProfileCache, compare
from foglight.service import (
    ID_PATTERN,
    MAX_OFFSET,
    MAX_PAGE,
    ArticlePage,
    ArticleRecord,
    EventPage,
    EventQuery,
    EventRecord,
    MapPoint,
    SearchPage,
    article_page,
    article_record,
    article_segments,
    event_count,
    event_page,
    event_record,
    filter_choices,
    map_points,
    search,
)
from foglight.store import Store
from foglight.web.render import CONTENT_SECURITY_POLICY, STATIC, check_assets, environment

EventIdPath = Annotated[
    str, Path(pattern=ID_PATTERN, description="An event id, e.g. 4eb1fb12552ccecb.")
]
ArticleIdPath = Annotated[str, Path(pattern=ID_PATTERN, description="An article id.")]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description="Items per page.")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Items to skip.")]
Filters = Annotated[EventQuery, Query()]
OutletName = Annotated[str | None, Query(max_length=200, description="Only this outlet.")]
SearchText = Annotated[str, Query(max_length=500, description="Words to find, e.g. Engels.")]

# Pages list this many articles or search hits at a time; the API's default page of events.
PAGE_SIZE = 50
API_PAGE = 100
# Rows of the map page's event list: enough to scan a month of a busy front; the map and
# timeline still show every event, and brushing narrows the list.
LIST_LIMIT = 500
# Events the map page embeds (the latest, when more match): its size and the browser's
# drawing grow with it (10,000 points: 4 MB and ~0.6 s to render on the server; 99,549:
# 7.5 s), and filters reach the rest.
MAP_LIMIT = 5000

DESCRIPTION = """\
The foglight event ledger, read-only: attacks reported in news articles, each with the
sentences that report it, who claims it, and where outlets disagree. Event objects have the
field names of foglight's JSONL export (spec/export.md)."""


def create_app(db: str) -> FastAPI:
    """The web app over the database ``db`` (a SQLite path or a database URL), opened
    read-only. Raises ``DatabaseError`` when it is not a foglight database and
    ``AssetsMissing`` when the map's front-end packages have not been installed."""
    check_assets()
    store = Store(db, read_only=True)
    outlet_profiles = ProfileCache(store)
    templates = Jinja2Templates(env=environment())
    app = FastAPI(
        title="foglight",
        version=__version__,
        description=DESCRIPTION,
        # The interactive docs pages load scripts from a CDN; /openapi.json is the contract.
        docs_url=None,
        redoc_url=None,
    )
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.middleware("http")
    async def security_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    def page(request: Request, name: str, status_code: int = 200, **context: Any) -> Response:
        context = {"nav": name.removesuffix(".html"), "status": status_code, **context}
        return templates.TemplateResponse(request, name, context, status_code=status_code)

    def wants_html(request: Request) -> bool:
        return not request.url.path.startswith(("/api/", "/openapi", "/static/"))

    # Starlette's class, so the router's own 404 and 405 (unknown paths) are rendered too.
    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if wants_html(request):
            return page(request, "error.html", exc.status_code, message=exc.detail)
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        problems = [
            f"{'.'.join(str(p) for p in e['loc'][1:]) or e['loc'][0]}: {e['msg']}"
            for e in exc.errors()
        ]
        if wants_html(request):
            return page(request, "error.html", 422, message="; ".join(problems))
        return JSONResponse(
            {"detail": [{k: e[k] for k in ("loc", "msg", "type")} for e in exc.errors()]},
            status_code=422,
        )

    def not_found(what: str, ident: str) -> HTTPException:
        return HTTPException(404, f"No {what} with id {ident} in this database.")

    # -- API -------------------------------------------------------------------------------

    @app.get("/api/events", response_model=EventPage, tags=["api"])
    def api_events(filters: Filters, limit: Limit = API_PAGE, offset: Offset = 0) -> EventPage:
        """Events matching the filters, in date order, one page at a time."""
        return event_page(store, filters.to_filter(), limit, offset)

    @app.get(
        "/api/events/{event_id}",
        response_model=EventRecord,
        tags=["api"],
        responses={404: {"description": "No such event"}},
    )
    def api_event(event_id: EventIdPath) -> EventRecord:
        """One event with its mentions, claims and disagreements."""
        record = event_record(store, event_id)
        if record is None:
            raise not_found("event", event_id)
        return record

    @app.get(
        "/api/events/{event_id}/accounts",
        response_model=Comparison,
        tags=["api"],
        responses={404: {"description": "No such event"}},
    )
    def api_accounts(event_id: EventIdPath) -> Comparison:
        """Each article's account of the event side by side (``foglight compare``)."""
        comparison = compare(store, event_id)
        if comparison is None:
            raise not_found("event", event_id)
        return comparison

    @app.get("/api/articles", response_model=ArticlePage, tags=["api"])
    def api_articles(
        outlet: OutletName = None, limit: Limit = API_PAGE, offset: Offset = 0
    ) -> ArticlePage:
        """Articles, newest first, each with how many events it reports."""
        return article_page(store, outlet, limit, offset)

    @app.get(
        "/api/articles/{article_id}",
        response_model=ArticleRecord,
        tags=["api"],
        responses={404: {"description": "No such article"}},
    )
    def api_article(article_id: ArticleIdPath) -> ArticleRecord:
        """One article: its text and the sentences that report events."""
        record = article_record(store, article_id)
        if record is None:
            raise not_found("article", article_id)
        return record

    @app.get("/api/map", response_model=list[MapPoint], tags=["api"])
    def api_map(filters: Filters) -> list[MapPoint]:
        """Every matching event as the map, timeline and event list draw it."""
        return map_points(store, filters.to_filter())

    @app.get("/api/outlets", response_model=list[OutletProfile], tags=["api"])
    def api_outlets() -> list[OutletProfile]:
        """How each outlet tells it (``foglight outlets``)."""
        return outlet_profiles.profiles()

    @app.get("/api/search", response_model=SearchPage, tags=["api"])
    def api_search(q: SearchText, limit: Limit = PAGE_SIZE, offset: Offset = 0) -> SearchPage:
        """Articles containing every word of ``q``, best match first."""
        return search(store, q, limit, offset)

    # -- pages -----------------------------------------------------------------------------

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def map_page(request: Request, filters: Filters) -> Response:
        points = map_points(store, filters.to_filter(), MAP_LIMIT)
        return page(
            request,
            "map.html",
            filters=filters,
            choices=filter_choices(store),
            points=[p.model_dump(mode="json") for p in points],
            total=event_count(store, filters.to_filter()),
            list_limit=LIST_LIMIT,
            map_limit=MAP_LIMIT,
            config={
                "eventHref": "/events/",
                "worldUrl": "/static/vendor/countries-50m.json",
                "listLimit": LIST_LIMIT,
            },
        )

    @app.get("/events/{event_id}", response_class=HTMLResponse, include_in_schema=False)
    def event_view(request: Request, event_id: EventIdPath) -> Response:
        record = event_record(store, event_id)
        comparison = compare(store, event_id)
        if record is None or comparison is None:
            raise not_found("event", event_id)
        outlet_of = {m.article_id: m.outlet for m in record.mentions}
        return page(request, "event.html", event=record, comparison=comparison, outlet_of=outlet_of)

    @app.get("/articles", response_class=HTMLResponse, include_in_schema=False)
    def articles_view(request: Request, outlet: OutletName = None, offset: Offset = 0) -> Response:
        listing = article_page(store, outlet or None, PAGE_SIZE, offset)
        pager_query = urlencode({"outlet": outlet}) if outlet else ""
        return page(
            request, "articles.html", listing=listing, outlet=outlet, pager_query=pager_query
        )

    @app.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_view(request: Request, article_id: ArticleIdPath) -> Response:
        record = article_record(store, article_id)
        if record is None:
            raise not_found("article", article_id)
        return page(request, "article.html", article=record, segments=article_segments(record))

    @app.get("/outlets", response_class=HTMLResponse, include_in_schema=False)
    def outlets_view(request: Request) -> Response:
        return page(request, "outlets.html", profiles=outlet_profiles.profiles())

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_view(
        request: Request,
        q: Annotated[str, Query(max_length=500)] = "",
        offset: Offset = 0,
    ) -> Response:
        results = search(store, q, PAGE_SIZE, offset) if q.strip() else None
        return page(request, "search.html", q=q, results=results)

    return app
