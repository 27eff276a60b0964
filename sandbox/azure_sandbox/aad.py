"""Entra ID (AAD) stand-in: OpenID discovery, the v2 token endpoint, and
bearer-token validation for ARM and Key Vault.

Tokens are HS256 JWTs signed with a per-state-dir key so they survive a
restart; msal only needs ``access_token``/``expires_in`` and never has to
verify them.  The sandbox's own cloud metadata document is served here too,
since it is what points clients at this authority.
"""

import base64
import hashlib
import hmac
import json
import time
import uuid

from .messages import ApiError, Response

# ARM accepts tokens for either public audience and for its own endpoint URL, each with or
# without the trailing slash (the allowed list ARM itself prints in InvalidAuthenticationTokenAudience).
ARM_AUDIENCES = ("https://management.azure.com", "https://management.core.windows.net")
VAULT_AUDIENCE = "https://vault.azure.net"
TOKEN_LIFETIME = 3600


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Authority:
    def __init__(self, identity: dict):
        self.identity = identity
        self.key = bytes.fromhex(identity["signing_key"])
        self.issued: list = []  # token ids (``uti``) in order of issue
        self.revoked: set = set()

    def reset(self) -> None:
        self.issued.clear()
        self.revoked.clear()

    def revoke_issued(self) -> None:
        """Every token issued so far is refused from now on (the ``revoke_tokens`` fault)."""
        self.revoked.update(self.issued)

    @staticmethod
    def arm_audiences(base_url: str) -> tuple:
        """Audiences ARM accepts here: the public ones and the sandbox's own resourceManager URL."""
        return ARM_AUDIENCES + (base_url.rstrip("/"),)

    # -- endpoints --------------------------------------------------------------
    def handle(self, req) -> Response | None:
        """Serve AAD/metadata paths; None when the path is not one of them."""
        segs = [s for s in req.path.split("/") if s]
        if segs[:2] == ["metadata", "endpoints"]:
            return Response(200, self.cloud_metadata(req.base_url))
        if len(segs) >= 2 and segs[1:] in (["v2.0", ".well-known", "openid-configuration"], [".well-known", "openid-configuration"]):
            return Response(200, self.openid_configuration(req.base_url, segs[0]))
        if len(segs) == 4 and segs[1:] == ["oauth2", "v2.0", "token"] and req.method == "POST":
            return self.token(req.form())
        if len(segs) == 3 and segs[1:] == ["discovery", "keys"]:
            return Response(200, {"keys": []})
        return None

    def cloud_metadata(self, base: str) -> dict:
        return {
            "name": "AzureSandbox",
            "resourceManager": base + "/",
            "authentication": {
                "loginEndpoint": base + "/",
                "audiences": ["https://management.core.windows.net/", "https://management.azure.com/"],
                "tenant": "common",
                "identityProvider": "AAD",
            },
            "suffixes": {
                "keyVaultDns": "vault.azure.net",
                "storage": "core.windows.net",
                "acrLoginServer": "azurecr.io",
                "sqlServerHostname": "database.windows.net",
                "mhsmDns": "managedhsm.azure.net",
                "azureDatalakeStoreFileSystem": "azuredatalakestore.net",
                "azureDatalakeAnalyticsCatalogAndJob": "azuredatalakeanalytics.net",
            },
            "graphEndpoint": "https://graph.windows.net/",
            "graphAudience": "https://graph.windows.net/",
            # Microsoft Graph v1.0 (https://graph.microsoft.com in Azure) is served on this host too (graph.py)
            "microsoftGraphResourceId": base + "/",
            # the Log Analytics query API (https://api.loganalytics.io in Azure) is served on this host
            "logAnalyticsResourceId": base,
            "portalEndpoint": "https://portal.azure.com/",
            "galleryEndpoint": "https://gallery.azure.com/",
            "batch": "https://batch.core.windows.net/",
            "media": "https://rest.media.azure.net",
            "sqlManagement": "https://management.core.windows.net:8443/",
            "vmImageAliasDoc": "https://raw.githubusercontent.com/Azure/azure-rest-api-specs/master/arm-compute/quickstart-templates/aliases.json",
        }

    def openid_configuration(self, base: str, tenant: str) -> dict:
        tid = self.identity["tenant_id"] if tenant in ("common", "organizations") else tenant
        return {
            "token_endpoint": f"{base}/{tid}/oauth2/v2.0/token",
            "authorization_endpoint": f"{base}/{tid}/oauth2/v2.0/authorize",
            "device_authorization_endpoint": f"{base}/{tid}/oauth2/v2.0/devicecode",
            "issuer": f"{base}/{tid}/v2.0",
            "jwks_uri": f"{base}/{tid}/discovery/keys",
            "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt", "client_secret_basic"],
            "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
            "scopes_supported": ["openid", "profile", "email", "offline_access"],
            "subject_types_supported": ["pairwise"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "tenant_region_scope": "AS",
        }

    def token(self, form: dict) -> Response:
        def fail(status, error, code, text):
            return Response(status, {"error": error, "error_description": f"AADSTS{code}: {text}", "error_codes": [code],
                                     "timestamp": time.strftime("%Y-%m-%d %H:%M:%SZ", time.gmtime()),
                                     "trace_id": str(uuid.uuid4()), "correlation_id": str(uuid.uuid4())})

        if form.get("grant_type") != "client_credentials":
            return fail(400, "unsupported_grant_type", 70003, "The app requested an unsupported grant type.")
        client_id = form.get("client_id", "")
        if form.get("client_assertion"):
            pass  # workload identity: any non-empty federated assertion is accepted
        elif client_id != self.identity["client_id"]:
            return fail(400, "unauthorized_client", 700016,
                        f"Application with identifier '{client_id}' was not found in the directory.")
        elif not hmac.compare_digest(form.get("client_secret", ""), self.identity["client_secret"]):
            return fail(401, "invalid_client", 7000215,
                        f"Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '{client_id}'.")
        scope = form.get("scope", "").split()[0] if form.get("scope") else ""
        audience = scope[: -len("/.default")] if scope.endswith("/.default") else scope
        now = int(time.time())
        claims = {
            "aud": audience.rstrip("/"), "iss": f"https://sts.windows.net/{self.identity['tenant_id']}/",
            "iat": now, "nbf": now, "exp": now + TOKEN_LIFETIME,
            "appid": client_id, "azp": client_id,
            "oid": str(uuid.uuid5(uuid.NAMESPACE_URL, "sandbox-sp:" + client_id)),
            "sub": str(uuid.uuid5(uuid.NAMESPACE_URL, "sandbox-sp:" + client_id)),
            "tid": self.identity["tenant_id"], "idtyp": "app", "ver": "1.0",
            "uti": _b64url(uuid.uuid4().bytes),
        }
        self.issued.append(claims["uti"])
        return Response(200, {"token_type": "Bearer", "expires_in": TOKEN_LIFETIME, "ext_expires_in": TOKEN_LIFETIME,
                              "access_token": self.sign(claims)})

    # -- tokens -----------------------------------------------------------------
    def sign(self, claims: dict) -> str:
        head = _b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
        body = _b64url(json.dumps(claims).encode())
        sig = hmac.new(self.key, f"{head}.{body}".encode(), hashlib.sha256).digest()
        return f"{head}.{body}.{_b64url(sig)}"

    def validate(self, authorization: str | None, audiences: tuple) -> dict:
        """Claims of a valid bearer token for one of ``audiences``, else ApiError 401."""
        def deny(message):
            return ApiError(401, "AuthenticationFailed", message)

        if not authorization or not authorization.lower().startswith("bearer "):
            raise deny("Authentication failed. The 'Authorization' header is missing.")
        token = authorization.split(" ", 1)[1].strip()
        try:
            head, body, sig = token.split(".")
            expected = hmac.new(self.key, f"{head}.{body}".encode(), hashlib.sha256).digest()
            if not hmac.compare_digest(_b64url_decode(sig), expected):
                raise deny("Authentication failed. The token signature is invalid.")
            claims = json.loads(_b64url_decode(body))
        except (ValueError, TypeError) as exc:
            raise deny("Authentication failed. The access token is malformed.") from exc
        if claims.get("exp", 0) < time.time():
            raise ApiError(401, "ExpiredAuthenticationToken", "The access token expiry UTC time is earlier than current UTC time.")
        if claims.get("uti") in self.revoked:
            raise ApiError(401, "InvalidAuthenticationToken", "The access token is invalid.")
        if claims.get("aud", "").rstrip("/") not in audiences:
            allowed = ",".join(f"'{a}/','{a}'" for a in audiences)
            raise ApiError(401, "InvalidAuthenticationTokenAudience",
                           f"The access token has been obtained for wrong audience or resource '{claims.get('aud')}'. "
                           f"It should exactly match with one of the allowed audiences {allowed}.")
        return claims


def new_identity() -> dict:
    """Tenant, subscription and service principal of a fresh sandbox."""
    return {
        "tenant_id": str(uuid.uuid4()),
        "subscription_id": str(uuid.uuid4()),
        "client_id": str(uuid.uuid4()),
        "client_secret": base64.urlsafe_b64encode(uuid.uuid4().bytes + uuid.uuid4().bytes).decode().rstrip("="),
        "signing_key": uuid.uuid4().hex + uuid.uuid4().hex,
    }
