# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The delivery identity's plan (SPEC §11) checked before anything is written.

GitHub Actions presents an OIDC token whose subject is
`repo:<organization>/<repository>:environment:<environment>`; Microsoft Entra
ID matches it exactly against one federated credential. A name GitHub would
not give, or a colon in an environment, makes a subject no workflow ever
presents, and the pipeline's sign-in fails only at deploy time. The role names
each credential `github-<repository>-<environment>` (other characters as -),
so two pairs that collapse to one name would overwrite each other; and an
identity holds at most 20 credentials.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.phonebill.platform.plugins.module_utils.validation import (
    described, https_url_problems, list_problems, name_problems)

# GitHub: an organization is 1-39 letters, digits and single hyphens; a repository 1-100 letters, digits, . _ -
ORGANIZATION = re.compile(r'^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$')
REPOSITORY = re.compile(r'^[A-Za-z0-9._-]{1,100}$')
ENVIRONMENT_MAX = 255
MAX_CREDENTIALS = 20
MAX_CLAIM = 600


def subject(organization, repository, environment):
    """The `sub` claim of a GitHub Actions job that deploys from an environment."""
    return 'repo:%s/%s:environment:%s' % (organization, repository, environment)


def credential_name(repository, environment):
    """The federated credential's name, as the delivery role derives it."""
    return re.sub(r'[^A-Za-z0-9_-]', '-', 'github-%s-%s' % (repository, environment))[:120]


def _strings(option, value, what, pattern=None, rule=None):
    found = list_problems(option, value, what)
    if value is None:
        found.append('%s: required; state the %s names as a list' % (option, what))
    items = value if isinstance(value, list) else []
    if isinstance(value, list) and not value:
        found.append('%s: empty; state at least one %s' % (option, what))
    for item in items:
        if not isinstance(item, str) or not item.strip():
            found.append('%s: %s is not a %s; state the name' % (option, described(item), what))
        elif pattern is not None and not pattern.match(item):
            found.append('%s: %r is not a GitHub %s name (%s); fix the name' % (option, item, what, rule))
    return found, [i for i in items if isinstance(i, str) and i.strip()]


def delivery_problems(prefix, delivery):
    """Problems of phonebill_delivery (prefix 'phonebill_delivery.')."""
    if not isinstance(delivery, dict):
        return ['%s: %s is not a mapping; state identity, organization, repositories and environments'
                % (prefix.rstrip('.'), described(delivery))]
    found = name_problems(prefix + 'identity', delivery.get('identity'), 'user_assigned_identity')
    if not delivery.get('identity'):
        found.append('%sidentity: required; name the user-assigned identity, e.g. id-phonebill-delivery' % prefix)
    found += https_url_problems(prefix + 'issuer', delivery.get('issuer'))
    audience = delivery.get('audience')
    if audience is not None and (not isinstance(audience, str) or not audience.strip()):
        found.append('%saudience: %s; Microsoft Entra ID needs one audience, normally api://AzureADTokenExchange'
                     % (prefix, described(audience)))
    organization = delivery.get('organization')
    if not isinstance(organization, str) or not ORGANIZATION.match(organization):
        found.append('%sorganization: %r is not a GitHub organization (1-39 letters, digits and single hyphens); '
                     'state the owner of the repositories' % (prefix, organization))
    problems, repositories = _strings(prefix + 'repositories', delivery.get('repositories'), 'repository', REPOSITORY,
                                      '1-100 letters, digits, ., _ and -')
    found += problems
    problems, environments = _strings(prefix + 'environments', delivery.get('environments'), 'environment')
    found += problems
    for environment in environments:
        if ':' in environment or len(environment) > ENVIRONMENT_MAX:
            found.append("%senvironments: %r; a GitHub environment has at most %d characters and no ':' (the subject "
                         'separates with it); rename it' % (prefix, environment, ENVIRONMENT_MAX))
    pairs = [(r, e) for r in repositories for e in environments]
    if len(pairs) > MAX_CREDENTIALS:
        found.append('%srepositories: %d repositories x %d environments need %d federated credentials; an identity '
                     'holds at most %d; deploy from fewer, or split the identity'
                     % (prefix, len(repositories), len(environments), len(pairs), MAX_CREDENTIALS))
    names = {}
    for repository, environment in pairs:
        names.setdefault(credential_name(repository, environment), []).append('%s (%s)' % (repository, environment))
        if len(subject(organization, repository, environment)) > MAX_CLAIM:
            found.append('%srepositories: the subject of %s (%s) is over %d characters; shorten the names'
                         % (prefix, repository, environment, MAX_CLAIM))
    for name, owners in sorted(names.items()):
        if len(owners) > 1:
            found.append('%srepositories: %s all get the credential name %s; rename one of them'
                         % (prefix, ', '.join(owners), name))
    roles = delivery.get('roles')
    if not isinstance(roles, dict) or any(not isinstance(roles.get(k), str) or not roles.get(k) for k in ('registry', 'cluster')):
        found.append('%sroles: %s; state registry (AcrPush) and cluster (Azure Kubernetes Service Cluster User Role)'
                     % (prefix, described(roles)))
    if not isinstance(delivery.get('purge_role_assignments', False), bool):
        found.append('%spurge_role_assignments: %s; true or false' % (prefix, described(delivery['purge_role_assignments'])))
    return found
