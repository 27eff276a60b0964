"""Local Azure sandbox: a stateful emulator of Azure Resource Manager, Entra ID
(token endpoint) and the Key Vault data plane, served over HTTPS on 127.0.0.1
so that the real Azure SDK clients can be pointed at it unchanged.

See docs/sandbox.md for the architecture and the control API.
"""

__version__ = "0.1.0"
