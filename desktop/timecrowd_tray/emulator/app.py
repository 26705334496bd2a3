"""Starlette routes of the emulator: /api/v1, /oauth and /_emulator."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from . import views
from .admin import admin_routes
from .errors import Forbidden, Invalid, NotFound, StoreError, Unauthenticated
from .fault_middleware import FaultMiddleware
from .oauth import oauth_routes
from .store import EmulatorState

INPUT_TYPES = ("realtime", "manual", "automation")
DEFAULT_PER_PAGE = 20  # ASSUMPTION: the docs list per_page without a default.
MAX_PER_PAGE = 100

Handler = Callable[[Request, int], Awaitable[Response]]


class BadParam(Exception):
    pass


def _messages(status: int, *messages: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"messages": list(messages)}, status_code=status, headers=headers)


def _int_param(request: Request, name: str, default: int | None = None) -> int | None:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        # Mirrors the docs' "Validations: Must be a number."
        raise BadParam(f'Invalid parameter \'{name}\' value "{raw}": Must be a number.') from None


def _page(items: list[Any], request: Request) -> tuple[list[Any], bool]:
    page = max(1, _int_param(request, "page", 1) or 1)
    per_page = min(MAX_PER_PAGE, max(1, _int_param(request, "per_page", DEFAULT_PER_PAGE) or DEFAULT_PER_PAGE))
    start = (page - 1) * per_page
    return items[start : start + per_page], start + per_page >= len(items)


async def _json_body(request: Request) -> dict[str, Any]:
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except ValueError:
        raise Invalid("The request body is not valid JSON.") from None
    if not isinstance(body, dict):
        raise Invalid("The request body must be a JSON object.")
    return body


def create_app(state: EmulatorState) -> Starlette:
    """The emulator as an ASGI app; every /api route reads and writes ``state``."""

    def api(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            header = request.headers.get("authorization", "")
            scheme, _, token = header.partition(" ")
            try:
                user_id = state.authenticate(token.strip() if scheme.lower() == "bearer" else None)
                return await handler(request, user_id)
            except Unauthenticated as exc:
                return _messages(
                    401,
                    *exc.messages,
                    headers={"WWW-Authenticate": 'Bearer realm="Doorkeeper", error="invalid_token"'},
                )
            except NotFound as exc:
                return _messages(404, *exc.messages)
            except Forbidden as exc:
                return _messages(403, *exc.messages)
            except (Invalid, StoreError) as exc:
                return _messages(422, *exc.messages)
            except BadParam as exc:
                return _messages(422, str(exc))

        return endpoint

    def ok(body: Any, status: int = 200) -> JSONResponse:
        return JSONResponse(body, status_code=status)

    async def user_info(request: Request, me: int) -> Response:
        with state.lock:
            return ok(views.user_info_json(state, state.users[me]))

    async def working_users(request: Request, me: int) -> Response:
        with state.lock:
            rows = state.working_users(me)
            return ok([views.working_user_json(state, me, user, entry) for user, entry in rows])

    async def list_time_entries(request: Request, me: int) -> Response:
        for name in ("stopped_at", "created_since", "updated_since", "deleted_since"):
            _int_param(request, name)  # validated as the docs say; not used to filter (ASSUMPTION)
        input_type = request.query_params.get("input_type")
        if input_type not in (None, "", *INPUT_TYPES):
            raise BadParam(f'Invalid parameter \'input_type\' value "{input_type}": Must be one of: '
                           f'{", ".join(INPUT_TYPES)}.')
        filters: dict[str, Any] = {
            "only_user_id": _int_param(request, "user_id"),
            "team_id": _int_param(request, "team_id"),
            "category_id": _int_param(request, "category_id"),
            "started_since": _int_param(request, "started_since"),
            "started_until": _int_param(request, "started_until"),
            "input_type": input_type or None,
        }
        with state.lock:
            entries, _ = _page(state.list_entries(me, **filters), request)
            return ok([views.entry_json(state, e) for e in entries])

    async def my_time_entries(request: Request, me: int) -> Response:
        task_id = _int_param(request, "task_id")
        with state.lock:
            entries, _ = _page(state.list_entries(me, only_user_id=me, task_id=task_id), request)
            return ok([views.entry_json(state, e) for e in entries])

    async def show_time_entry(request: Request, me: int) -> Response:
        with state.lock:
            entry = state.visible_entry(me, request.path_params["entry_id"])
            return ok(views.entry_json(state, entry))

    async def create_time_entry(request: Request, me: int) -> Response:
        body = await _json_body(request)
        with state.lock:
            if isinstance(body.get("task"), dict):
                parent = body.get("parent") if isinstance(body.get("parent"), dict) else None
                entry, is_new = state.create_task_and_start(me, body["task"], parent)
                return ok(views.entry_json(state, entry, is_new_task=is_new))
            if isinstance(body.get("time_entry"), dict):
                entry = state.create_entry_from_times(me, body["time_entry"])
                return ok(views.entry_json(state, entry, is_new_task=None))
        raise Invalid('Either "task" or "time_entry" is required.')

    async def update_time_entry(request: Request, me: int) -> Response:
        body = await _json_body(request)
        raw_fields = body.get("time_entry")
        fields: dict[str, Any] = raw_fields if isinstance(raw_fields, dict) else {}
        with state.lock:
            entry = state.update_entry(me, request.path_params["entry_id"], fields)
            return ok(views.entry_json(state, entry))

    async def stop_time_entry(request: Request, me: int) -> Response:
        with state.lock:
            entry = state.stop_entry(me, request.path_params["entry_id"])
            return ok(views.entry_json(state, entry))

    async def delete_time_entry(request: Request, me: int) -> Response:
        state.delete_entry(me, request.path_params["entry_id"])
        return Response(status_code=204)

    async def comment_time_entry(request: Request, me: int) -> Response:
        body = await _json_body(request)
        raw_comment = body.get("comment")
        comment: dict[str, Any] = raw_comment if isinstance(raw_comment, dict) else {}
        with state.lock:
            entry = state.add_comment(me, request.path_params["entry_id"], comment.get("content"))
            return ok(views.entry_json(state, entry))

    async def start_task(request: Request, me: int) -> Response:
        with state.lock:
            entry = state.start_task(me, request.path_params["team_id"], request.path_params["task_id"])
            return ok(views.entry_json(state, entry, with_new_flag=False))

    async def suggestions(request: Request, me: int) -> Response:
        title = request.query_params.get("title")
        if not title or not title.strip():
            raise Invalid("title is missing")
        category_id = _int_param(request, "category_id")
        with state.lock:
            tasks, last = _page(state.suggest_tasks(me, title.strip(), category_id), request)
            return ok({"tasks": [views.suggestion_json(state, t) for t in tasks], "is_last_page": last})

    async def team_tasks(request: Request, me: int) -> Response:
        with state.lock:
            tasks, last = _page(state.team_tasks(me, request.path_params["team_id"]), request)
            return ok({"tasks": [views.task_json(state, t) for t in tasks], "is_last_page": last})

    async def teams(request: Request, me: int) -> Response:
        with state.lock:
            return ok([views.team_json(state, t) for t in state.teams_of(me)])

    async def categories(request: Request, me: int) -> Response:
        team_id = _int_param(request, "team_id")
        with state.lock:
            return ok([views.category_json(c) for c in state.categories_of(me, team_id)])

    async def index(request: Request) -> Response:
        return PlainTextResponse("TimeCrowd API emulator. See /api/v1/user/info.\n")

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        if request.url.path.startswith("/api/"):
            return _messages(exc.status_code, str(exc.detail))
        return PlainTextResponse(str(exc.detail), status_code=exc.status_code)

    v1 = "/api/v1"
    routes = [
        Route("/", index),
        Route(f"{v1}/user/info", api(user_info)),
        Route(f"{v1}/user/working_users", api(working_users)),
        Route(f"{v1}/user/time_entries", api(my_time_entries)),
        Route(f"{v1}/time_entries", api(list_time_entries), methods=["GET"]),
        Route(f"{v1}/time_entries", api(create_time_entry), methods=["POST"]),
        Route(f"{v1}/time_entries/{{entry_id:int}}", api(show_time_entry), methods=["GET"]),
        Route(f"{v1}/time_entries/{{entry_id:int}}", api(update_time_entry), methods=["PATCH", "PUT"]),
        Route(f"{v1}/time_entries/{{entry_id:int}}", api(delete_time_entry), methods=["DELETE"]),
        Route(f"{v1}/time_entries/{{entry_id:int}}/stop", api(stop_time_entry), methods=["PATCH", "PUT"]),
        Route(f"{v1}/time_entries/{{entry_id:int}}/comments", api(comment_time_entry), methods=["POST"]),
        Route(f"{v1}/teams", api(teams)),
        Route(f"{v1}/teams/{{team_id:int}}/tasks", api(team_tasks)),
        Route(f"{v1}/teams/{{team_id:int}}/tasks/{{task_id:int}}/start", api(start_task), methods=["POST"]),
        Route(f"{v1}/tasks/suggestions", api(suggestions)),
        Route(f"{v1}/categories", api(categories)),
        *oauth_routes(state),
        *admin_routes(state),
    ]
    return Starlette(
        routes=routes,
        middleware=[Middleware(FaultMiddleware, state=state)],
        exception_handlers={HTTPException: http_error},
    )
