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

from datetime import datetime, timezone
from urllib.parse import urlparse

from ansible_collections.phonebill.platform.plugins.module_utils import compare, errors, keyvault_checks, rotation, sdk
from ansible_collections.phonebill.platform.plugins.module_utils.validation import carries, name_problems, tag_problems

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
                        connection_verify=module.connection_verify, transport=module.transport)


def iso(moment):
    """A Key Vault date-time as ISO 8601 UTC ('2026-12-02T06:30:00Z'), None for None."""
    return moment.astimezone(timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ') if moment else None


def parse_time(value):
    """An ISO 8601 date-time as an aware UTC datetime (naive means UTC), or None when not a date-time."""
    try:
        parsed = datetime.fromisoformat(str(value).strip().replace('Z', '+00:00'))
    except ValueError:
        return None
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)).astimezone(timezone.utc)


def enum_value(value):
    return getattr(value, 'value', value)


def policy_document(policy):
    """A Key Vault CertificatePolicy in the option names of key_vault_certificate's `policy`."""
    actions = policy.lifetime_actions or []
    action = actions[0] if actions else None
    return dict(issuer=policy.issuer_name, subject=policy.subject, dns_names=list(policy.san_dns_names or []),
                validity_months=policy.validity_in_months, key_type=enum_value(policy.key_type), key_size=policy.key_size,
                curve=enum_value(policy.key_curve_name), exportable=policy.exportable, reuse_key=policy.reuse_key,
                content_type=enum_value(policy.content_type),
                lifetime_action=None if action is None else compare.prune(dict(
                    action=enum_value(action.action), lifetime_percentage=action.lifetime_percentage,
                    days_before_expiry=action.days_before_expiry)))


def secret_version_problems(params):
    """The options of a module that writes secret versions: vault_uri, name, tags, generate, expires_after_days."""
    return (vault_uri_problems('vault_uri', params['vault_uri'])
            + name_problems('name', params['name'], 'key_vault_object', 'secret name') + tag_problems('tags', params['tags'])
            + keyvault_checks.generate_problems('generate', params['generate'])
            + keyvault_checks.expires_after_problems('expires_after_days', params['expires_after_days']))


def info_problems(params, what):
    """Input problems of the vault_uri, name and tags options of an info module (what: 'secret name', ...)."""
    return (vault_uri_problems('vault_uri', params['vault_uri']) + name_problems('name', params['name'], 'key_vault_object', what)
            + tag_problems('tags', params['tags']))


def read_objects(module, kind, list_all, read_one):
    """The documents of the object named by the `name` option, or of every object list_all() gives, carrying `tags`.

    read_one(name) gives an object's document, None when it does not exist (a named object that does not
    exist, or one deleted between the listing and its read, is left out rather than failing).
    """
    params = module.params
    names = ([params['name']] if params['name'] else
             module.call('list the %ss of %s' % (kind, params['vault_uri']), lambda: [item.name for item in list_all()]))
    found = (read_one(name) for name in names)
    return [document for document in found if document is not None and carries(document, params['tags'])]


def deleted_name_problems(module, label, get_deleted, name):
    """A name that a deleted, still recoverable object holds: Key Vault refuses to reuse it until purged."""
    deleted = module.get_or_none('look for a deleted %s' % label, get_deleted, name)
    if deleted is None:
        return []
    return ['name: %s is deleted but recoverable (purged by Key Vault on %s), and its name cannot be reused until '
            'then; recover it or purge it in the vault, or choose another name' % (label, iso(deleted.scheduled_purge_date))]


def ensure_absent(module, label, document, remove, **result):
    """Delete a secret or certificate that exists (document: what it holds now, None when it does not exist)."""
    if document is None:
        return dict(changed=False, differences=[], **result)
    result.update(changed=True, differences=[compare.Difference('', '<exists>', '<absent>').as_dict()])
    if module.diff_mode:
        result['diff'] = dict(before=document, after={})
    if not module.check_mode:
        _ignored, status_url = module.run_operation('delete %s' % label, remove)
        if status_url:
            result['status_url'] = status_url
    return result


def version_document(properties):
    """A secret or certificate version's attributes as the rotation functions take them (never a value)."""
    return dict(version=properties.version, id=properties.id, created=properties.created_on, updated=properties.updated_on,
                expires=properties.expires_on, content_type=getattr(properties, 'content_type', None),
                enabled=properties.enabled is not False, tags=dict(properties.tags or {}))


def secret_versions(client, name):
    """Every version of a secret, as version_document()s; [] when the secret does not exist."""
    return [version_document(item) for item in client.list_properties_of_secret_versions(name)]


def chosen_version(client, name, previous=False):
    """The version consumers read (rotation.consumed), or with previous the one before it; None when none.

    Not the versionless read: a rotation's pending version is the newest, and no consumer may read it
    before it is valid where it is used. A secret that does not exist has no version.
    """
    versions = secret_versions(client, name)
    return rotation.previous(versions) if previous else rotation.consumed(versions)
