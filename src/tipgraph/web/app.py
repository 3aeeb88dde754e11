"""``tipgraph serve``: the graph on the web, read-only. A Starlette application over one
store: HTML pages for people, each resource as Turtle or JSON-LD, the SPARQL 1.1 Protocol
(queries only) and each saved query as an operation under ``/api/``."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pyoxigraph as ox
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tipgraph.errors import InputError
from tipgraph.paths import Layout
from tipgraph.web import api, protocol
from tipgraph.web.links import ServerLinks
from tipgraph.web.negotiation import choose
from tipgraph.web.pages import PICTURES, Pages
from tipgraph.web.results import JSONLD, NTRIPLES, TURTLE

HTML = "text/html"
RESOURCE_TYPES = (HTML, TURTLE, JSONLD, NTRIPLES, "application/xhtml+xml")
RESOURCE_SUFFIXES = {".ttl": TURTLE, ".jsonld": JSONLD, ".nt": NTRIPLES}
STATIC = {"style.css": "text/css", "search.js": "text/javascript", "site.js": "text/javascript"}
SECURITY_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
        b"form-action 'self'; frame-ancestors 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
LINKS = ServerLinks()


class SecurityHeaders:
    """Adds the security headers to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    h for h in message.get("headers", []) if h[0] not in dict(SECURITY_HEADERS)
                ]
                message["headers"] = headers + SECURITY_HEADERS
            await send(message)

        await self.app(scope, receive, sending)


def text(status: int, message: str) -> Response:
    return Response(message.rstrip() + "\n", status, media_type="text/plain; charset=utf-8")


def answer_response(answer: protocol.Answer) -> Response:
    return Response(answer.body, answer.status, media_type=answer.media)


def multi_params(request: Request) -> dict[str, list[str]]:
    values: dict[str, list[str]] = {}
    for name, value in request.query_params.multi_items():
        values.setdefault(name, []).append(value)
    return values


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refused with 413 when longer than ``limit`` bytes."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise protocol.Refusal(413, f"the request body is longer than {limit:,} bytes")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise protocol.Refusal(413, f"the request body is longer than {limit:,} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def create_app(
    store: ox.Store, layout: Layout, *, timeout: float, max_rows: int, version: str = "0"
) -> Starlette:
    """The application for one store; ``timeout`` and ``max_rows`` bound every query."""
    pages = Pages(store, layout, live=True, timeout=timeout, max_rows=max_rows)

    def html(content: str, status: int = 200) -> HTMLResponse:
        return HTMLResponse(content, status)

    async def home(request: Request) -> Response:
        return html(await run_in_threadpool(pages.home, LINKS))

    async def resource_index(request: Request) -> Response:
        return html(await run_in_threadpool(pages.resource_index, LINKS))

    async def resource(request: Request) -> Response:
        slug = request.path_params["slug"]
        media = None
        for suffix, kind in RESOURCE_SUFFIXES.items():
            if slug.endswith(suffix) and pages.exists(slug[: -len(suffix)]):
                slug, media = slug[: -len(suffix)], kind
        if not pages.exists(slug):
            suggestions = await run_in_threadpool(pages.close_matches, slug, LINKS)
            message = f"No resource {slug[:80]!r} in the graph."
            return html(pages.not_found(LINKS, message, suggestions), 404)
        if media is None:
            media = choose(request.headers.get("accept"), RESOURCE_TYPES)
            if media is None:
                return text(406, f"available as {', '.join(RESOURCE_TYPES[:4])}")
        if media in (HTML, "application/xhtml+xml"):
            response = html(await run_in_threadpool(pages.resource, slug, LINKS))
        else:
            body = await run_in_threadpool(pages.resource_data, slug, media)
            response = Response(body, media_type=media)
        response.headers["vary"] = "Accept"
        return response

    async def queries(request: Request) -> Response:
        return html(await run_in_threadpool(pages.queries, LINKS))

    async def query_page(request: Request) -> Response:
        name = request.path_params["name"]
        try:
            pages.catalogue.get(name)
        except InputError as error:
            return html(pages.not_found(LINKS, str(error)), 404)
        params = multi_params(request)
        try:
            values = {k: v for k, v in api.values_of(params).items() if v != ""}
        except protocol.Refusal as refusal:
            return html(pages.error(LINKS, "Bad request", str(refusal)), 400)
        query_string = f"?{urlencode(values)}" if values else ""
        downloads = [
            (label, f"/api/{name}.{suffix}{query_string}")
            for label, suffix in (("CSV", "csv"), ("TSV", "tsv"), ("JSON", "json"))
        ]
        status, page = await run_in_threadpool(pages.query, name, values, LINKS, downloads)
        return html(page, status)

    async def search(request: Request) -> Response:
        query = request.query_params.get("q", "")
        return html(await run_in_threadpool(pages.search, query, LINKS))

    async def search_index(request: Request) -> Response:
        from tipgraph.search import static_index

        index = await run_in_threadpool(static_index, store)
        return JSONResponse(index)

    async def ontology(request: Request) -> Response:
        return html(await run_in_threadpool(pages.ontology, LINKS))

    async def schemes(request: Request) -> Response:
        return html(await run_in_threadpool(pages.schemes, LINKS))

    async def scheme(request: Request) -> Response:
        name = request.path_params["name"]
        page = await run_in_threadpool(pages.scheme, name, LINKS)
        if page is None:
            return html(pages.not_found(LINKS, f"No concept scheme {name[:80]!r}."), 404)
        return html(page)

    async def pictures_index(request: Request) -> Response:
        return html(await run_in_threadpool(pages.pictures_index, LINKS))

    async def picture(request: Request) -> Response:
        name = request.path_params["name"]
        if name.endswith(".csv") and name[:-4] in PICTURES:
            body = await run_in_threadpool(pages.picture_csv, name[:-4])
            return Response(body, media_type="text/csv; charset=utf-8")
        if name not in PICTURES:
            return html(pages.not_found(LINKS, f"No picture {name[:80]!r}."), 404)
        page = await run_in_threadpool(pages.picture, name, LINKS, f"/pictures/{name}.csv")
        return html(page)

    async def sparql(request: Request) -> Response:
        try:
            body = b""
            if request.method == "POST":
                body = await read_body(request, protocol.MAX_BODY)
            text_ = protocol.query_of(
                request.method, multi_params(request), request.headers.get("content-type"), body
            )
        except protocol.Refusal as refusal:
            return answer_response(refusal.answer())
        answer = await run_in_threadpool(
            protocol.run,
            store,
            text_,
            request.headers.get("accept"),
            timeout=timeout,
            max_rows=max_rows,
        )
        response = answer_response(answer)
        response.headers["vary"] = "Accept"
        return response

    async def openapi(request: Request) -> Response:
        document = await run_in_threadpool(api.openapi, store, pages.catalogue, version)
        return Response(
            json.dumps(document, indent=2, ensure_ascii=False) + "\n",
            media_type="application/json",
        )

    async def operation(request: Request) -> Response:
        answer = await run_in_threadpool(
            api.run_operation,
            store,
            pages.catalogue,
            request.path_params["name"],
            multi_params(request),
            request.headers.get("accept"),
            timeout=timeout,
            max_rows=max_rows,
        )
        return answer_response(answer)

    async def static(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in STATIC:
            raise HTTPException(404)
        if name == "search.js":
            from tipgraph.search import search_script

            content = search_script()
        else:
            from importlib.resources import files

            content = files("tipgraph.web").joinpath("static", name).read_text(encoding="utf-8")
        return Response(content, media_type=f"{STATIC[name]}; charset=utf-8")

    async def not_found(request: Request, exc: Exception) -> Response:
        status = getattr(exc, "status_code", 404)
        if status == 405:
            return text(405, f"{request.method} is not allowed here")
        return html(pages.not_found(LINKS, "There is no page at this address."), status)

    get = ["GET"]
    routes = [
        Route("/", home, methods=get),
        Route("/id/", resource_index, methods=get),
        Route("/id/{slug}", resource, methods=get),
        Route("/queries/", queries, methods=get),
        Route("/queries/{name}", query_page, methods=get),
        Route("/search", search, methods=get),
        Route("/search-index.json", search_index, methods=get),
        Route("/ontology", ontology, methods=get),
        Route("/scheme/", schemes, methods=get),
        Route("/scheme/{name}", scheme, methods=get),
        Route("/pictures/", pictures_index, methods=get),
        Route("/pictures/{name}", picture, methods=get),
        Route("/sparql", sparql, methods=["GET", "POST"]),
        Route("/api/openapi.json", openapi, methods=get),
        Route("/api/{name}", operation, methods=get),
        Route("/static/{name}", static, methods=get),
    ]
    return Starlette(
        routes=routes,
        middleware=[Middleware(SecurityHeaders)],
        exception_handlers={404: not_found, 405: not_found},
    )
