"""Transport-neutral request/response objects and the ARM error shape."""

import json
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, unquote, urlsplit


@dataclass
class Request:
    method: str
    raw_path: str  # path + query as received
    headers: dict  # lower-cased names
    body_bytes: bytes
    base_url: str  # https://127.0.0.1:PORT of the listener that received it

    def __post_init__(self):
        parts = urlsplit(self.raw_path)
        self.path = unquote(parts.path)
        self.query = {k.lower(): v for k, v in parse_qsl(parts.query, keep_blank_values=True)}

    @property
    def api_version(self) -> str | None:
        return self.query.get("api-version")

    def json(self):
        if not self.body_bytes:
            return None
        try:
            return json.loads(self.body_bytes)
        except ValueError as exc:
            raise ApiError(400, "InvalidRequestContent", f"The request content was invalid: {exc}") from exc

    def form(self) -> dict:
        return dict(parse_qsl(self.body_bytes.decode(), keep_blank_values=True))


@dataclass
class Response:
    status: int
    body: object = None  # dict/list -> JSON, bytes -> raw, None -> empty
    headers: dict = field(default_factory=dict)

    def encoded(self) -> bytes:
        if self.body is None:
            return b""
        if isinstance(self.body, bytes):
            return self.body
        return json.dumps(self.body).encode()


class ApiError(Exception):
    """An error response in ARM's ``{"error": {"code", "message"}}`` shape."""

    def __init__(self, status: int, code: str, message: str, headers: dict | None = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}

    def response(self) -> Response:
        return Response(self.status, {"error": {"code": self.code, "message": self.message}}, dict(self.headers))
