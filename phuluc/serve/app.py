"""The web app of `phuluc serve`: Starlette routes over an output folder, Jinja2 pages, a little plain JavaScript.

Why Starlette (not FastAPI): a dozen server-rendered routes need neither
pydantic models nor an OpenAPI schema; Starlette is the well-kept core FastAPI
is built on, with its TestClient, TrustedHostMiddleware and multipart limits.

Security, for office machines: the app answers only to its own host names
(TrustedHostMiddleware: a DNS-rebinding page gets 400), every POST must carry
the token printed into the pages of this server run (403 without it), uploads
are limited in size and count and stored under sanitised names in OUT/inputs/,
and a document is reached only by a stem listed in OUT/report.json.
"""

from __future__ import annotations

import secrets
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from phuluc.batch import rewrite_combined
from phuluc.pipeline import Settings
from phuluc.serve import pages
from phuluc.serve.corrections import BadEdit, corrected_document
from phuluc.serve.folder import GoldenExists, OutputFolder, VersionConflict
from phuluc.serve.jobs import Converter
from phuluc.serve.review import review_context
from phuluc.serve.uploads import Limits, UploadRefused, store

HERE = Path(__file__).parent
TOKEN_HEADER = "x-phuluc-token"
EXPORTS = {"tasks.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
           "tasks.csv": "text/csv; charset=utf-8", "tasks.jsonl": "application/x-ndjson; charset=utf-8"}


def allowed_hosts(host: str) -> list[str]:
    """Host names the app answers to: the bound address, and the loopback names when it is loopback."""
    names = {host}
    if host in ("127.0.0.1", "localhost", "::1"):
        names |= {"127.0.0.1", "localhost", "[::1]"}
    if host in ("0.0.0.0", "::"):
        import socket

        names |= {"127.0.0.1", "localhost", socket.gethostname(), socket.getfqdn()}
        try:
            names |= set(socket.gethostbyname_ex(socket.gethostname())[2])
        except OSError:
            pass
    return sorted(names)


class App:
    """State shared by the routes: the folder, the converter, the token, the limits."""

    def __init__(self, out: Path, settings: Settings, jobs: int | None, limits: Limits) -> None:
        self.folder = OutputFolder(out)
        self.converter = Converter(self.folder, settings, jobs)
        self.settings = settings
        self.limits = limits
        self.token = secrets.token_urlsafe(32)
        self.templates = Jinja2Templates(directory=str(HERE / "templates"))

    def page(self, request: Request, name: str, **context: Any) -> HTMLResponse:
        return self.templates.TemplateResponse(request, name, {"token": self.token, **context})

    def check_token(self, request: Request) -> None:
        if not secrets.compare_digest(request.headers.get(TOKEN_HEADER, ""), self.token):
            raise HTTPException(403, "missing or wrong page token: reload the page and try again")

    def stem_of(self, request: Request) -> tuple[str, dict]:
        stem = request.query_params.get("doc", "")
        row = self.folder.row(stem)
        if row is None:
            raise HTTPException(404, "no such document in this output folder")
        return stem, row

    # --- pages ---------------------------------------------------------------------------

    async def index(self, request: Request) -> HTMLResponse:
        entries = self.folder.entries()
        status = request.query_params.get("status", "")
        code = request.query_params.get("code", "")
        shown = [e for e in entries if (not status or e.status == status) and (not code or code in e.warnings)]
        return self.page(request, "index.html", entries=shown, total=len(entries), status=status, code=code,
                         statuses=Counter(e.status for e in entries),
                         codes=Counter(c for e in entries for c in e.warnings), limits=self.limits)

    def review(self, request: Request) -> HTMLResponse:
        stem, row = self.stem_of(request)
        if row.get("status") == "error":
            raise HTTPException(404, f"{row.get('source')} was not converted: {row.get('reason')}")
        return self.page(request, "review.html", **review_context(self.folder, stem, row))

    def qa_page(self, request: Request) -> HTMLResponse:
        return self.page(request, "qa.html", folders=[str(f) for f in self.qa_folders()])

    def qa_report(self, request: Request) -> HTMLResponse:
        from phuluc.qa import QaError, QaReport, run_qa
        from phuluc.qa_html import render_html

        folders = self.qa_folders()
        report = QaReport(folder=", ".join(str(f) for f in folders))
        for folder in folders:
            try:
                part = run_qa(folder, self.settings)
            except QaError:
                continue  # the folder was removed since the conversion
            report.documents += part.documents
            report.without_golden += part.without_golden
        return HTMLResponse(render_html(report))

    def qa_folders(self) -> list[Path]:
        """The folders holding this output's inputs (outermost only), where their golden files are."""
        parents = sorted({Path(r["input"]).resolve().parent for r in self.folder.report_rows()})
        return [p for p in parents if not any(q != p and p.is_relative_to(q) for q in parents)]

    # --- JSON and files --------------------------------------------------------------------

    def jobs(self, request: Request) -> JSONResponse:
        return JSONResponse(self.converter.snapshot())

    async def upload(self, request: Request) -> JSONResponse:
        self.check_token(request)
        length = request.headers.get("content-length")
        limit = self.limits.max_files * self.limits.max_bytes + 2**20
        if length is None or not length.isdigit():
            raise HTTPException(411, "an upload must state its length")
        if int(length) > limit:
            raise HTTPException(413, f"the upload is larger than {limit // 2**20} MiB")
        async with request.form(max_files=self.limits.max_files, max_fields=10) as form:
            files = [v for k, v in form.multi_items() if k == "files" and not isinstance(v, str)]
            accepted, refused = [], []
            for f in files:
                try:
                    accepted.append(await store(f, self.folder.inputs, self.limits))
                except UploadRefused as e:
                    refused.append({"name": f.filename, "reason": str(e)})
        if accepted:
            self.converter.submit(accepted)
        return JSONResponse({"accepted": [p.name for p in accepted], "refused": refused})

    async def save(self, request: Request) -> JSONResponse:
        self.check_token(request)
        stem, _ = self.stem_of(request)
        try:
            edit = await request.json()
            doc, origins = corrected_document(self.folder.machine(stem), edit)
            base = edit.get("base_version")
            if not isinstance(base, int):
                raise BadEdit("base_version must be a number")
            version = self.folder.save_corrected(stem, doc, origins, base)
        except VersionConflict as e:
            return JSONResponse({"error": str(e)}, status_code=409)
        except (BadEdit, ValueError) as e:
            return JSONResponse({"error": f"bad edit: {e}"}, status_code=400)
        return JSONResponse({"version": version})

    async def golden(self, request: Request) -> JSONResponse:
        self.check_token(request)
        stem, _ = self.stem_of(request)
        try:
            body = await request.json()
        except ValueError:
            body = {}
        try:
            path = self.folder.write_golden(stem, overwrite=bool(isinstance(body, dict) and body.get("overwrite")))
        except GoldenExists as e:
            return JSONResponse({"error": str(e), "exists": True}, status_code=409)
        return JSONResponse({"golden": str(path)})

    def page_sizes(self, request: Request) -> JSONResponse:
        stem, row = self.stem_of(request)
        pdf = self._pdf(stem, row)
        sizes = pages.page_sizes(pdf, self.settings.password) if pdf else []
        return JSONResponse({"pages": [[s.width, s.height] for s in sizes]})

    def page_image(self, request: Request) -> Response:
        stem, row = self.stem_of(request)
        try:
            number = int(request.query_params.get("n", ""))
        except ValueError:
            raise HTTPException(404, "no such page") from None
        pdf = self._pdf(stem, row)
        if pdf is None or not 1 <= number <= len(pages.page_sizes(pdf, self.settings.password)):
            raise HTTPException(404, "no such page")
        png = pages.render_page(pdf, number, self._cache(stem, row), self.settings.password)
        return FileResponse(png, media_type="image/png", headers={"Cache-Control": "private, max-age=3600"})

    def _cache(self, stem: str, row: dict) -> Path:
        return pages.cache_dir(self.folder.out, stem, row.get("sha256", ""))

    def _pdf(self, stem: str, row: dict) -> Path | None:
        if row.get("status") == "error" or not Path(row["input"]).is_file():
            return None
        return pages.pdf_for(Path(row["input"]), self._cache(stem, row), self.settings.soffice, self.settings.timeout)

    def export(self, request: Request) -> FileResponse:
        name = request.path_params["name"]
        if name not in EXPORTS or not (self.folder.out / "report.json").is_file():
            raise HTTPException(404, "nothing converted yet" if name in EXPORTS else "no such export")
        with self.folder.lock:
            rewrite_combined(self.folder.out)  # corrections applied, whatever changed since the last batch
        return FileResponse(self.folder.out / name, media_type=EXPORTS[name], filename=name)


SECURITY_HEADERS = [
    # Scripts and frames only from this server (no inline script runs; the QA report's inline <style> may);
    # no other site may frame these pages (clickjacking) or sniff a PNG into HTML.
    (b"content-security-policy", b"default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self'; "
                                 b"frame-ancestors 'self'; form-action 'self'; base-uri 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
]


class SecurityHeaders:
    """Adds SECURITY_HEADERS to every response (a plain ASGI wrapper: streaming responses stay streamed)."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        await self.app(scope, receive, send_with_headers)


async def _http_error(request: Request, exc: HTTPException) -> Response:
    if request.url.path.startswith(("/api/", "/upload")):
        return JSONResponse({"error": exc.detail}, status_code=exc.status_code)
    body = f"<!doctype html><meta charset=utf-8><title>phuluc</title><p>{exc.status_code}: {exc.detail}</p><p><a href=/>back</a>"
    return HTMLResponse(body, status_code=exc.status_code)


def create_app(out: str | Path, *, host: str = "127.0.0.1", settings: Settings | dict | None = None,
               jobs: int | None = None, limits: Limits | None = None) -> Starlette:
    """The app over output folder `out` (created if missing), answering to `host`'s names."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    state = App(out, Settings.resolve(settings), jobs, limits or Limits())
    routes = [
        Route("/", state.index),
        Route("/review", state.review),
        Route("/qa", state.qa_page),
        Route("/qa/report", state.qa_report),
        Route("/api/jobs", state.jobs),
        Route("/api/pages", state.page_sizes),
        Route("/api/page.png", state.page_image),
        Route("/api/save", state.save, methods=["POST"]),
        Route("/api/golden", state.golden, methods=["POST"]),
        Route("/upload", state.upload, methods=["POST"]),
        Route("/export/{name}", state.export),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
    ]
    middleware = [Middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts(host)), Middleware(SecurityHeaders)]
    app = Starlette(routes=routes, middleware=middleware,
                    exception_handlers={HTTPException: _http_error})
    app.state.phuluc = state
    return app


LOOPBACK = ("127.0.0.1", "localhost", "::1")


def serve(out: str | Path, host: str = "127.0.0.1", port: int = 8765, settings: Settings | dict | None = None,
          jobs: int | None = None, limits: Limits | None = None, echo=print) -> None:
    """Run the app with uvicorn until Ctrl-C; print its address (and a warning when it is reachable from others)."""
    import uvicorn

    if host not in LOOPBACK:
        echo(f"phuluc serve: warning: listening on {host}: other machines on the network can open these documents "
             "and upload files; use the default 127.0.0.1 unless you mean it", file=sys.stderr)
    app = create_app(out, host=host, settings=settings, jobs=jobs, limits=limits)
    shown = f"[{host}]" if ":" in host else host
    echo(f"phuluc serve: {Path(out).resolve()} at http://{shown}:{port}/ (Ctrl-C stops)")
    uvicorn.run(app, host=host, port=port, log_level="warning")
