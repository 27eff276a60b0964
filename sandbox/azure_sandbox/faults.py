"""Fault injection: the next N client requests matching a rule misbehave.

Kinds: ``throttle`` (429 + Retry-After), ``error`` (5xx/4xx ARM error; a
401 carries ARM's Bearer challenge), ``drop`` (connection closed without a
response), ``lro_failure`` (the request succeeds but the long-running
operation it starts ends Failed), ``revoke_tokens`` (every token issued so
far is revoked when the matching request arrives, so that request and any
later one with an old token get 401 ``InvalidAuthenticationToken``), ``slow_lro`` (the long-running
operation the request starts takes ``seconds``, unscaled: a restore slower than the RTO).
"""

import threading

from .messages import ApiError

KINDS = ("throttle", "error", "drop", "lro_failure", "revoke_tokens", "slow_lro")


class Faults:
    def __init__(self):
        self._lock = threading.Lock()
        self.rules: list = []

    def add(self, rule: dict) -> dict:
        if rule.get("kind") not in KINDS:
            raise ApiError(400, "InvalidFault", f"kind must be one of {KINDS}")
        rule = {"match": {}, "count": 1, **rule}
        with self._lock:
            self.rules.append(rule)
        return rule

    def clear(self) -> None:
        with self._lock:
            self.rules.clear()

    @staticmethod
    def _matches(match: dict, req, plane: str) -> bool:
        if match.get("method") and match["method"].upper() != req.method:
            return False
        if match.get("path_contains") and match["path_contains"].lower() not in req.raw_path.lower():
            return False
        if match.get("plane") and match["plane"] != plane:
            return False
        return True

    def take(self, req, plane: str) -> dict | None:
        """Consume and return the first rule matching ``req`` (plane: arm|keyvault|aad)."""
        with self._lock:
            for rule in self.rules:
                if rule["count"] > 0 and self._matches(rule["match"], req, plane):
                    rule["count"] -= 1
                    if rule["count"] <= 0:
                        self.rules.remove(rule)
                    return rule
        return None


def _retry_after(seconds: float) -> dict:
    """Retry-After in whole seconds, or retry-after-ms below one second (Retry-After: 0 makes azure-core wait 30 s)."""
    return {"Retry-After": str(int(seconds))} if seconds >= 1 else {"retry-after-ms": str(max(1, int(seconds * 1000)))}


def error_for(rule: dict) -> ApiError:
    """The ApiError a throttle/error rule answers with (an error rule with ``retry_after`` sends it too, as ARM's 503s do)."""
    if rule["kind"] == "throttle":
        return ApiError(int(rule.get("status", 429)), rule.get("code", "TooManyRequests"),
                        rule.get("message", "The request is being throttled."), _retry_after(float(rule.get("retry_after", 1))))
    status = int(rule.get("status", 500))
    headers = _retry_after(float(rule["retry_after"])) if "retry_after" in rule else {}
    return ApiError(status, rule.get("code", "InternalServerError" if status >= 500 else "BadRequest"),
                    rule.get("message", "Injected fault."), headers)
