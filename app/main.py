"""The ASGI app: API routers under /api, error handlers, middleware, and the SPA at /."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from anyio import to_thread
from fastapi import Depends, FastAPI
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from app.amendments.routes import router as amendments_router
from app.auth.routes import public_router as auth_public_router
from app.auth.routes import router as auth_router
from app.comments.routes import router as comments_router
from app.context import AppContext
from app.declarations.routes import router as declarations_router
from app.declarations.schemas import DeclarationCreate, VersionCreate
from app.deps import get_current_user
from app.documents.routes import router as documents_router
from app.endorsements.routes import public_router as endorsements_public_router
from app.endorsements.routes import router as endorsements_router
from app.errors import document_error_bodies, install_error_handlers
from app.forms import document_models
from app.live.routes import router as live_router
from app.middleware import BodyLimit, SecurityHeaders
from app.notifications.routes import router as notifications_router
from app.passkeys.routes import router as passkeys_router
from app.routing import APIRouter
from app.settings import Settings, get_settings
from app.translations.routes import router as translations_router

API_PREFIX = "/api"


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    app = FastAPI(
        lifespan=_lifespan,
        title="Concord",
        version="0.1.0",
        summary="Draft, amend and endorse a joint declaration of cities and regions.",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    app.state.context = AppContext.build(settings)
    install_error_handlers(app)
    document_error_bodies(app)
    document_models(app, (DeclarationCreate, VersionCreate))

    # Routers are mounted flat on the app (nesting costs route-matching time on every request).
    for router in (meta_router, auth_public_router, endorsements_public_router):
        app.include_router(router, prefix=API_PREFIX)
    # Every other route needs a signed-in user: each router is mounted failing closed. Routes
    # are matched in mounting order, so the declarations' reads, the hottest, come first (their
    # paths overlap no other router's): a read does not try the accounts router's routes.
    for router in (
        declarations_router,
        documents_router,  # the comparison, a hot read, is among its routes
        auth_router,
        comments_router,
        amendments_router,
        endorsements_router,
        translations_router,
        live_router,
        notifications_router,
        passkeys_router,
    ):
        app.include_router(router, prefix=API_PREFIX, dependencies=[Depends(get_current_user)])
    _mount_frontend(app, settings.frontend_dist)  # last: its catch-all path answers the rest
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    # Outermost (added last), so that BodyLimit's own 413 carries the headers too.
    app.add_middleware(SecurityHeaders)
    return app


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    # Sync routes run in anyio's thread pool; with its default of 40 threads they mostly
    # fight over the GIL. A few threads serve more requests per second (measured in bench/).
    to_thread.current_default_thread_limiter().total_tokens = app.state.context.settings.threads
    context = app.state.context
    await context.live.start()
    if context.mail is not None:
        context.mail.start()
    try:
        yield
    finally:
        if context.mail is not None:
            await to_thread.run_sync(context.mail.stop)
        await context.live.stop()
        app.state.context.engine.dispose()


meta_router = APIRouter(tags=["meta"])


@meta_router.get("/health")
async def health() -> dict[str, str]:
    """Liveness: the app answers."""
    return {"status": "ok"}


def _mount_frontend(app: FastAPI, dist: Path) -> None:
    """The built SPA at /, every unknown non-API path answered with its index.html."""
    if (dist / "assets").is_dir():
        app.mount("/assets", StaticFiles(directory=dist / "assets"), name="assets")
    if (dist / "swagger").is_dir():
        app.mount("/swagger", StaticFiles(directory=dist / "swagger"), name="swagger")
    index = dist / "index.html"
    pages = APIRouter(include_in_schema=False)

    @pages.get(f"{API_PREFIX}/docs", response_model=None)
    def api_docs() -> FileResponse | HTMLResponse:
        page = dist / "swagger" / "index.html"
        if page.is_file():
            return FileResponse(page)
        return HTMLResponse(_NOT_BUILT, status_code=503)

    @pages.get("/{path:path}", response_model=None)
    def spa(path: str) -> FileResponse | HTMLResponse | JSONResponse:
        if path.startswith("api/") or path == "api":
            return JSONResponse(
                {"detail": "There is no such API address.", "code": "not_found"}, 404
            )
        # No file name holds a NUL (%00), and resolve() raises on one: the SPA, not a 500.
        candidate = (dist / path).resolve() if path and "\x00" not in path else None
        if candidate and candidate.is_file() and candidate.is_relative_to(dist.resolve()):
            return FileResponse(candidate)
        if index.is_file():
            return FileResponse(index, headers={"Cache-Control": "no-cache"})
        return HTMLResponse(_NOT_BUILT, status_code=503)

    app.include_router(pages)


_NOT_BUILT = (
    "<!doctype html><title>Concord</title><p>The web app is not built yet: run "
    "<code>make run</code>, which builds it.</p>"
)


def __getattr__(name: str) -> FastAPI:
    # `app.main:app` for uvicorn, built on first use so that importing this module has no effects.
    if name == "app":
        global app
        app = create_app()
        return app
    raise AttributeError(name)
