# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Options every Azure module shares: authentication, cloud, waiting, tags, state, attributes."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment:
    """Authentication and cloud options (phonebill.platform.azure)."""

    DOCUMENTATION = r'''
options:
  auth_source:
    description:
      - Which identity to use.
      - V(auto) tries, in order, explicit or environment service principal credentials, workload identity
        (E(AZURE_FEDERATED_TOKEN_FILE)), a profile in C(~/.azure/credentials), the Azure CLI (when C(az) is
        on the PATH), then managed identity (only where the platform exports E(IDENTITY_ENDPOINT) or
        E(MSI_ENDPOINT), so the instance metadata address is never probed by surprise).
      - V(cli) runs the C(az) command for tokens; the Azure CLI Python packages are not imported.
      - V(msi) uses the managed identity of the host (system-assigned, or user-assigned with O(client_id)).
      - V(workload_identity) uses the federated token file AKS workload identity mounts into a pod.
      - Can be set with E(ANSIBLE_AZURE_AUTH_SOURCE).
    type: str
    default: auto
    choices: [auto, env, credential_file, cli, msi, workload_identity]
  profile:
    description:
      - Section of C(~/.azure/credentials) to read C(subscription_id), C(client_id), C(secret) and C(tenant) from.
      - Can be set with E(AZURE_PROFILE).
    type: str
  subscription_id:
    description:
      - The subscription the resources live in. Can be set with E(AZURE_SUBSCRIPTION_ID).
    type: str
  client_id:
    description:
      - Application (client) id of the service principal, or of the user-assigned managed identity.
      - Can be set with E(AZURE_CLIENT_ID).
    type: str
  secret:
    description:
      - Client secret of the service principal. Never logged. Can be set with E(AZURE_SECRET).
    type: str
  tenant:
    description:
      - Microsoft Entra tenant id. Can be set with E(AZURE_TENANT).
    type: str
  x509_certificate_path:
    description:
      - PEM file with the private key and certificate of the service principal, instead of O(secret).
      - Can be set with E(AZURE_X509_CERTIFICATE_PATH).
    type: path
  cloud_environment:
    description:
      - The Azure cloud to use, by name (V(AzureCloud), V(AzureChinaCloud), V(AzureUSGovernment)) or as the
        URL of an ARM metadata endpoint (C(https://host/metadata/endpoints)), which is how sovereign clouds,
        Azure Stack and the collection's local sandbox are reached.
      - The ARM base URL, the login authority and the token audience all come from it.
      - Can be set with E(AZURE_CLOUD_ENVIRONMENT).
    type: str
    default: AzureCloud
  cert_validation_mode:
    description:
      - V(ignore) turns off TLS certificate validation. Keep V(validate); to trust a private CA, point
        E(REQUESTS_CA_BUNDLE) at a bundle that contains it.
      - Can be set with E(AZURE_CERT_VALIDATION_MODE).
    type: str
    default: validate
    choices: [validate, ignore]
notes:
  - Transient failures (HTTP 408, 429 with Retry-After, 500, 502, 503, 504) are retried with bounded
    exponential back-off; failures report Azure's error code, message and request id.
  - Set the credentials once for every module with
    C(module_defaults) and the action group C(group/phonebill.platform.azure).
requirements:
  - python >= 3.11
  - azure-identity >= 1.25
  - azure-core >= 1.38
'''

    WAIT = r'''
options:
  wait:
    description:
      - Wait for the long-running operation to finish.
      - With V(false) the module returns as soon as Azure accepts the operation, with RV(status_url).
    type: bool
    default: true
  timeout:
    description:
      - Seconds to wait for a long-running operation, and for an operation already running on the resource
        (any provisioning state that is not Succeeded, Failed or Canceled, started by a previous run, AKS auto-upgrade or someone
        else). The module never writes over a running operation; when it outlasts this time the module fails
        saying what still runs, and writes nothing.
      - On timeout the module fails with the operation's status URL; the operation keeps running in Azure
        and the next run re-attaches to it instead of starting it again.
      - Throttled requests (HTTP 429) are retried, waiting as long as Azure asks in C(Retry-After), while the
        task is within this time; the failure after the last attempt says how many attempts were made.
      - Defaults to a value suited to the resource type (see the module's notes).
    type: int
'''

    TAGS = r'''
options:
  tags:
    description: Tags to set. Values are strings.
    type: dict
  purge_tags:
    description: Remove tags that are not in O(tags). Without it, other tags are left as they are.
    type: bool
    default: false
'''

    RESOURCE = r'''
options:
  state:
    description: Whether the resource should exist.
    type: str
    choices: [present, absent]
    default: present
attributes:
  check_mode:
    support: full
    details:
      - Check mode never waits. When an operation is in progress on the resource (or, for an AKS node pool, on its
        cluster), it warns and returns C(operations_in_progress), the lines a real run would wait for first.
  diff_mode:
    support: full
  platform:
    platforms: posix
'''

    INFO = r'''
attributes:
  check_mode:
    support: full
  diff_mode:
    support: N/A
  platform:
    platforms: posix
'''

    INFO_FILTERS = r'''
options:
  name:
    description: Name of one resource; needs O(resource_group).
    type: str
  resource_group:
    description: Resource group to read from. Without it (and without O(name)), the whole subscription is listed.
    type: str
  tags:
    description: Only resources that carry all these tags with these values.
    type: dict
'''

    # A secret value generated by policy (key_vault_secret, key_vault_rotation); keyvault_checks.GENERATE_ARGUMENT_SPEC.
    GENERATE = r'''
options:
  generate:
    description:
      - Generate the value with the operating system's cryptographically secure generator (Python C(secrets)) by this
        policy. Mutually exclusive with O(value).
    type: dict
    suboptions:
      length:
        description: Number of characters (8-1024).
        type: int
        default: 32
      classes:
        description: Character classes to draw from; every class is used at least O(generate.min_per_class) times.
        type: list
        elements: str
        choices: [lower, upper, digits, symbols]
        default: [lower, upper, digits, symbols]
      symbols:
        description: The characters of the V(symbols) class.
        type: str
        default: '!#%+-.:=?@^_~'
      min_per_class:
        description: Fewest characters of each class.
        type: int
        default: 1
'''

    ALERT = r'''
options:
  name:
    description: Name of the alert rule.
    type: str
    required: true
  resource_group:
    description: Resource group of the alert rule (and of action groups given by name).
    type: str
    required: true
  description:
    description: What the alert means, shown in notifications.
    type: str
  severity:
    description: Severity from V(0) (critical) to V(4) (verbose). Required to create the rule.
    type: int
  enabled:
    description: Whether the rule is evaluated. A new rule without it is enabled.
    type: bool
  action_groups:
    description: Action groups notified, each by name (in O(resource_group)) or resource id; compared as a set.
    type: list
    elements: str
  auto_mitigate:
    description: Whether the alert resolves itself once the condition no longer holds.
    type: bool
notes:
  - Alert rule writes are synchronous in Azure, so the module has no O(ignore:wait) or O(ignore:timeout).
'''

    # Front Door children (endpoints, origin groups, routes, security policies) are addressed by their profile.
    FRONT_DOOR_CHILD = r'''
options:
  profile:
    description: Name of the Front Door profile.
    type: str
    required: true
  resource_group:
    description: Resource group of the profile.
    type: str
    required: true
notes:
  - The default O(timeout) is 1200 seconds.
requirements:
  - azure-mgmt-cdn >= 14, < 15
'''
