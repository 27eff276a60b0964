# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Key Vault data-plane clients (secrets, certificates) built like the management clients.

The vault is addressed by its URI (the `vault_uri` the key_vault module returns); the
token audience comes from the vault's own bearer challenge, the credential, TLS
verification and retries from AzureModule. The SDK checks that the challenge names a
resource in the vault's own domain; that check is kept wherever the vault lives under
the cloud's Key Vault DNS suffix, and lifted only for a vault outside it in a cloud
read from a metadata endpoint (Azure Stack Hub, the local sandbox), where it cannot hold.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from urllib.parse import urlparse

from ansible_collections.phonebill.platform.plugins.module_utils import errors, sdk

# The requirement strings match requirements.txt, which a unit test enforces.
SECRETS = sdk.Service('azure.keyvault.secrets', 'SecretClient', 'azure-keyvault-secrets>=4.10,<5')
CERTIFICATES = sdk.Service('azure.keyvault.certificates', 'CertificateClient', 'azure-keyvault-certificates>=4.10,<5')


def vault_uri_problems(option, value):
    """A vault URI is https://host[:port]/ with nothing after the host."""
    if value is None:
        return []
    parsed = urlparse(str(value))
    if parsed.scheme != 'https' or not parsed.hostname or parsed.path not in ('', '/') or parsed.query:
        return ['%s: %r is not a vault URI; give the vault_uri the key_vault module returns, e.g. '
                'https://kv-phonebill-prod.vault.azure.net/' % (option, value)]
    return []


def verifies_challenge(cloud, vault_uri):
    """Whether the SDK can check the challenge resource against the vault's host."""
    host = (urlparse(vault_uri).hostname or '').lower()
    suffix = cloud.keyvault_dns.lower().lstrip('.')
    return not cloud.custom or host == suffix or host.endswith('.' + suffix)


def client(module, service, vault_uri):
    """The data-plane client (SECRETS or CERTIFICATES) of the vault at vault_uri."""
    client_class = module.imported(lambda: getattr(sdk.load(service), service.client), errors=sdk.MissingLibrary)
    return client_class(vault_uri, module.credential, retry_policy=errors.RetryPolicy(module.deadline),
                        verify_challenge_resource=verifies_challenge(module.cloud, vault_uri),
                        connection_verify=module.connection_verify)
