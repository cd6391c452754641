"""Structured logs: one JSON object a line, with the request id, user id and job id.

`RequestLogMiddleware` writes one line per request (method, route, status, duration, user id;
never the query string, which may carry a search term); the task signals write one line per
background job as it starts and finishes. Expected 4xx answers (403, 404, throttling) are that
one line, with no traceback: Django's own `django.request` records below 500 are dropped.
A NIK never reaches a log: lines carry ids, never form or file contents.
"""

from __future__ import annotations

import datetime as dt
import inspect
import json
import logging
import time
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.http import HttpRequest, HttpResponse

from monev.core.middleware import current_request_id

current_job_id: ContextVar[int | None] = ContextVar("monev_job_id", default=None)
request_logger = logging.getLogger("monev.request")
job_logger = logging.getLogger("monev.job")
CONTEXT_FIELDS = ("request_id", "user_id", "job_id")
EXTRA_FIELDS = (
    "method",
    "route",
    "path",
    "status",
    "duration_ms",
    "task",
    "state",
    "kind",
)


class ContextFilter(logging.Filter):
    """Put the current request id and job id on every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = current_request_id.get() or None
        if getattr(record, "job_id", None) is None:
            record.job_id = current_job_id.get()
        return True


class ExpectedClientErrorFilter(logging.Filter):
    """Drop Django's records of 4xx answers (the request line already tells them)."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        return not (isinstance(status, int) and status < 500)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for field in (*CONTEXT_FIELDS, *EXTRA_FIELDS):
            value = getattr(record, field, None)
            if value is not None:
                line[field] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def route_of(request: HttpRequest) -> str:
    """The URL pattern that answered (bounded: no ids), or `unmatched`."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "unmatched"
    return "/" + str(match.route)


def user_id_of(request: HttpRequest) -> int | None:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return int(user.pk)
    return None


class RequestLogMiddleware:
    """One log line and the request metrics per request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from monev.core import metrics

        started = time.perf_counter()
        response = self.get_response(request)
        seconds = time.perf_counter() - started
        route = route_of(request)
        metrics.request_observe(
            route=route, method=request.method or "", status=response.status_code, seconds=seconds
        )
        level = logging.ERROR if response.status_code >= 500 else logging.INFO
        request_logger.log(
            level,
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "method": request.method,
                "route": route,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round(seconds * 1000, 1),
                "user_id": user_id_of(request),
            },
        )
        return response


def _job_id(task_result: Any) -> int | None:
    """The `job_id` argument of the task (positional or keyword), if it has one."""
    try:
        bound = inspect.signature(task_result.task.func).bind(
            *task_result.args, **task_result.kwargs
        )
    except TypeError:
        return None
    value = bound.arguments.get("job_id")
    return int(value) if value is not None else None


def task_started(sender: Any, task_result: Any, **kwargs: Any) -> None:
    job = _job_id(task_result)
    current_job_id.set(job)
    job_logger.info(
        "job started",
        extra={"job_id": job, "task": task_result.task.module_path, "state": "running"},
    )


def task_finished(sender: Any, task_result: Any, **kwargs: Any) -> None:
    job = _job_id(task_result)
    started, finished = task_result.started_at, task_result.finished_at
    seconds = (finished - started).total_seconds() if started and finished else None
    failed = str(task_result.status) == "FAILED"
    job_logger.log(
        logging.ERROR if failed else logging.INFO,
        "job finished",
        extra={
            "job_id": job,
            "task": task_result.task.module_path,
            "state": "failed" if failed else "done",
            "duration_ms": round(seconds * 1000, 1) if seconds is not None else None,
        },
    )
    current_job_id.set(None)
