# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The monthly security audit (SPEC §10) judged from what Azure returns.

Each function takes REST documents as the `_info` modules return them and the
inventory's expectations, and gives procedure_report checks (measured value
and threshold included). Nothing here reads Azure: the audit is as good as the
documents, and the tests feed it Azure's own shapes.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime

# Application Gateway predefined SSL policies -> their minimum protocol (Microsoft Learn, "Application Gateway TLS
# policy overview"); a gateway without sslPolicy gets AppGwSslPolicy20220101 from API version 2023-02-01 on.
GATEWAY_POLICY_MIN_TLS = {
    'appgwsslpolicy20150501': 'TLSv1_0',
    'appgwsslpolicy20170401': 'TLSv1_1',
    'appgwsslpolicy20170401s': 'TLSv1_2',
    'appgwsslpolicy20220101': 'TLSv1_2',
    'appgwsslpolicy20220101s': 'TLSv1_2',
}
GATEWAY_DEFAULT_POLICY = 'AppGwSslPolicy20220101'
#: sources that mean "anyone on the Internet" in a security rule
OPEN_SOURCES = ('*', 'internet', '0.0.0.0/0', 'any')
#: roles that can change the platform or grant access: an extra one FAILs, another extra WARNs
PRIVILEGED_ROLES = ('owner', 'contributor', 'user access administrator', 'role based access control administrator')


def _get(document, path, default=None):
    for key in path.split('.'):
        if not isinstance(document, dict) or key not in document:
            return default
        document = document[key]
    return document


def _tls_number(version):
    """'1.2', 'TLSv1.2', 'TLSv1_2', 'TLS1_2' -> 1.2; None when not stated or not a version."""
    if version is None:
        return None
    digits = str(version).upper().replace('TLSV', '').replace('TLS', '').replace('_', '.').strip('.')
    try:
        return float(digits if '.' in digits else digits + '.0')
    except ValueError:
        return None


def _tls_check(name, stated, minimum, detail):
    """A numeric check (TLS 1.0 -> 1.0), so the report shows the minimum as the threshold; unstated -> WARN."""
    return dict(name=name, category='security', measured=_tls_number(stated), unit='TLS version', min=_tls_number(minimum),
                detail='%s (stated: %s)' % (detail, stated if stated is not None else 'nothing'))


def public_access_checks(resources, expected):
    """resources: kind -> (name, document, path of its public network access); expected: kind -> value."""
    checks = []
    for kind in sorted(expected):
        if kind not in resources:
            continue
        name, document, path = resources[kind]
        if document is None:
            checks.append(dict(name='%s public network access' % kind, category='security', status='FAIL',
                               measured=None, detail='%s not found; cannot audit it' % name))
            continue
        checks.append(dict(name='%s public network access' % kind, category='security',
                           measured=_get(document, path, 'Enabled'), expected=expected[kind],
                           detail='%s %s (Azure treats a missing value as Enabled)' % (name, path)))
    return checks


def tls_checks(redis, gateway, minimum):
    """Redis minimumTlsVersion and the gateway SSL policy's minimum protocol against the inventory's minimum."""
    checks = []
    if redis is not None:
        checks.append(_tls_check('redis minimum TLS version', _get(redis, 'properties.minimumTlsVersion'), minimum,
                                 '%s minimumTlsVersion' % redis.get('name')))
    if gateway is not None:
        policy = _get(gateway, 'properties.sslPolicy') or {}
        custom = str(policy.get('policyType', '')).startswith('Custom')
        name = None if custom else policy.get('policyName') or GATEWAY_DEFAULT_POLICY
        protocol = policy.get('minProtocolVersion') if custom else GATEWAY_POLICY_MIN_TLS.get(str(name).lower())
        checks.append(_tls_check('application gateway minimum TLS version', protocol, minimum,
                                 '%s SSL policy %s' % (gateway.get('name'), name or policy.get('policyType'))))
    return checks


def postgresql_tls_checks(server_name, configurations, minimum):
    """The server parameter ssl_min_protocol_version (e.g. TLSv1.2) against the minimum."""
    found = next((c for c in configurations or [] if c.get('name') == 'ssl_min_protocol_version'), None)
    return [_tls_check('postgresql minimum TLS version', _get(found, 'properties.value'), minimum,
                       '%s ssl_min_protocol_version' % server_name)]


def key_vault_checks(vault):
    """Soft delete and purge protection on (SPEC §8)."""
    name = (vault or {}).get('name')
    checks = []
    for label, path in (('soft delete', 'properties.enableSoftDelete'), ('purge protection', 'properties.enablePurgeProtection')):
        checks.append(dict(name='key vault %s' % label, category='security',
                           measured=bool(_get(vault, path, label == 'soft delete')), expected=True,
                           detail='%s %s' % (name, path)))
    return checks


def _rule_fields(rule):
    """A security rule (REST `properties` flattened, or the inventory's snake_case) in one comparable form."""
    props = rule.get('properties', rule)

    def pick(camel, snake):
        return props.get(camel, props.get(snake))
    ports = pick('destinationPortRanges', 'destination_port_ranges') or (
        [pick('destinationPortRange', 'destination_port_range')] if pick('destinationPortRange', 'destination_port_range') else [])
    sources = pick('sourceAddressPrefixes', 'source_address_prefixes') or (
        [pick('sourceAddressPrefix', 'source_address_prefix')] if pick('sourceAddressPrefix', 'source_address_prefix') else [])
    return dict(direction=str(pick('direction', 'direction') or '').lower(), access=str(pick('access', 'access') or '').lower(),
                protocol=str(pick('protocol', 'protocol') or '').lower(), priority=pick('priority', 'priority'),
                sources=sorted(str(s).lower() for s in sources), ports=sorted(str(p) for p in ports))


def _opens_to_internet(fields):
    return fields['direction'] == 'inbound' and fields['access'] == 'allow' and any(s in OPEN_SOURCES for s in fields['sources'])


def _deviation_checks(name, unit, serious, other, detail):
    """Two checks of a named set vs the inventory: what must not be (FAIL above 0) and unmanaged extras (WARN)."""
    return [dict(name=name, category='security', measured=serious, unit=unit, max=0, detail=detail),
            dict(name='%s not in the inventory' % name, category='security', measured=other, unit=unit, warn_max=0,
                 detail=detail)]


def nsg_checks(actual_nsgs, expected_nsgs):
    """Every NSG's rules vs the inventory's, by rule name: missing, changed, and extra rules allowing inbound traffic
    from the Internet FAIL; other extra rules WARN (reported, never removed)."""
    actual = dict((str(n.get('name', '')).lower(), n) for n in actual_nsgs or [])
    checks = []
    for nsg in expected_nsgs or []:
        found = actual.get(nsg['name'].lower())
        if found is None:
            checks.append(dict(name='nsg %s rules' % nsg['name'], category='security', status='FAIL', measured=None,
                               detail='network security group not found'))
            continue
        rules = dict((str(r.get('name', '')).lower(), _rule_fields(r)) for r in _get(found, 'properties.securityRules', []) or [])
        wanted = dict((r['name'].lower(), _rule_fields(r)) for r in nsg.get('rules', []))
        missing = sorted(set(wanted) - set(rules))
        changed = sorted(n for n in set(wanted) & set(rules) if wanted[n] != rules[n])
        extra = sorted(set(rules) - set(wanted))
        open_extra = [n for n in extra if _opens_to_internet(rules[n])]
        parts = ['missing: %s' % ', '.join(missing)] if missing else []
        parts += ['differs from the inventory: %s' % ', '.join(changed)] if changed else []
        parts += ['not in the inventory: %s' % ', '.join(
            '%s%s' % (n, ' (allows inbound from %s)' % '/'.join(rules[n]['sources']) if n in open_extra else '')
            for n in extra)] if extra else []
        checks += _deviation_checks('nsg %s rules' % nsg['name'], 'rules', len(missing) + len(changed) + len(open_extra),
                                    len(extra) - len(open_extra),
                                    '; '.join(parts) or '%d rules as the inventory states' % len(wanted))
    return checks


def _parse_time(value):
    if isinstance(value, (int, float)):
        return datetime.datetime.fromtimestamp(value, datetime.timezone.utc)
    text = str(value).replace('Z', '+00:00')
    parsed = datetime.datetime.fromisoformat(text)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=datetime.timezone.utc)


def expiry_checks(objects, kind, now, warn_days, fail_days):
    """Days until each enabled secret or certificate expires: under warn_days WARN, under fail_days FAIL.

    objects: the Key Vault `_info` modules' items (attributes only; never a value). One without an expiry passes,
    with that said: rotation (SPEC §8) is what renews it.
    """
    checks = []
    for item in objects or []:
        attributes = item.get('attributes') or item
        if attributes.get('enabled') is False or item.get('managed'):
            continue  # disabled, or a certificate's backing secret (judged as the certificate)
        expires = attributes.get('expires') or attributes.get('expires_on')
        name = '%s %s expiry' % (kind, item.get('name'))
        if not expires:
            checks.append(dict(name=name, category='security', status='PASS', measured=None, detail='no expiry date'))
            continue
        left = (_parse_time(expires) - now).total_seconds() / 86400.0
        checks.append(dict(name=name, category='security', measured=round(left, 1), unit='days left',
                           warn_min=warn_days, min=fail_days, detail='expires %s' % expires))
    return checks


def role_assignment_checks(actual, expected, scope_label):
    """Role assignments on a scope vs those the inventory declares, by (principal, role, scope).

    actual/expected: dicts with principalId, roleName and scope. Missing ones FAIL; extras WARN, or FAIL when the
    role is privileged (Owner, Contributor, User Access Administrator, RBAC Administrator).
    """

    def key(item):
        return (str(item['principalId']).lower(), str(item['roleName']).lower(), str(item['scope']).lower().rstrip('/'))
    have = dict((key(a), a) for a in actual or [])
    want = dict((key(e), e) for e in expected or [])
    missing = sorted(set(want) - set(have))
    extra = sorted(set(have) - set(want))
    privileged = [k for k in extra if k[1] in PRIVILEGED_ROLES]

    def say(k):
        return '%s %s (%s)' % (have.get(k, want.get(k)).get('principalType', 'principal'), k[0], have.get(k, want.get(k))['roleName'])
    parts = ['missing: %s' % ', '.join(say(k) for k in missing)] if missing else []
    parts += ['not in the inventory: %s' % ', '.join(say(k) for k in extra)] if extra else []
    return _deviation_checks('role assignments on %s' % scope_label, 'assignments', len(missing) + len(privileged),
                             len(extra) - len(privileged),
                             '; '.join(parts) or '%d assignments as the inventory declares' % len(want))


def declared_vault_assignments(declared, vault_id, identities):
    """The inventory's Key Vault role assignments (identity by name, role, optional secret) as principal/role/scope.

    identities: the user-assigned identities as user_assigned_identity_info returns them. An identity that does not
    exist keeps its name in place of a principal id, so the audit reports the assignment missing.
    """
    by_name = dict((str(i.get('name', '')).lower(), i) for i in identities or [])
    found = []
    for item in declared or []:
        identity = by_name.get(str(item['identity']).lower())
        principal = _get(identity, 'properties.principalId') if identity else 'identity %s (not found)' % item['identity']
        scope = vault_id.rstrip('/') + ('/secrets/%s' % item['secret'] if item.get('secret') else '')
        found.append(dict(principalId=principal, roleName=item['role'], scope=scope, principalType='ServicePrincipal'))
    return found


def actual_assignments(assignments, role_names):
    """role_assignment_info's documents as principal/role/scope, the role by name."""
    found = []
    for assignment in assignments or []:
        props = assignment.get('properties') or {}
        guid = str(props.get('roleDefinitionId', '')).lower().rsplit('/', 1)[-1]
        found.append(dict(principalId=props.get('principalId'), roleName=(role_names or {}).get(guid) or guid,
                          scope=props.get('scope'), principalType=props.get('principalType', 'principal')))
    return found


def declared_delivery_assignments(identity, grants):
    """The delivery identity's two grants (role and scope, SPEC §11) as principal/role/scope."""
    principal = _get(identity, 'properties.principalId') or 'delivery identity (not found)'
    return [dict(principalId=principal, roleName=g['role'], scope=g['scope'], principalType='ServicePrincipal')
            for g in grants or []]


def delivery_identity_checks(identity, assignments, role_names, grants, name):
    """Every role the delivery identity holds in the subscription vs exactly its grants; an absent identity FAILs."""
    if identity is None:
        return [dict(name='delivery identity %s' % name, category='security', status='FAIL', measured=None,
                     detail='user-assigned identity not found; the pipeline cannot sign in')]
    return role_assignment_checks(actual_assignments(assignments, role_names), declared_delivery_assignments(identity, grants),
                                  'the subscription by delivery identity %s' % name)


def audit_checks(facts, expected, now):
    """Every check of the monthly security audit, from the documents read and the inventory's expectations."""
    access_paths = dict(postgresql='properties.network.publicNetworkAccess', redis='properties.publicNetworkAccess',
                        key_vault='properties.publicNetworkAccess', container_registry='properties.publicNetworkAccess')
    resources = dict((kind, ((facts.get(kind) or {}).get('name') or expected.get('names', {}).get(kind, kind),
                             facts.get(kind), path)) for kind, path in access_paths.items() if kind in facts)
    checks = public_access_checks(resources, expected.get('public_network_access') or {})
    checks += tls_checks(facts.get('redis'), facts.get('application_gateway'), expected['minimum_tls_version'])
    if facts.get('postgresql') and 'postgresql_configurations' in facts:
        checks += postgresql_tls_checks(facts['postgresql'].get('name'), facts['postgresql_configurations'],
                                        expected['minimum_tls_version'])
    if 'key_vault' in facts:
        checks += key_vault_checks(facts['key_vault'])
    checks += nsg_checks(facts.get('network_security_groups'), expected.get('network_security_groups'))
    for kind in ('secrets', 'certificates'):
        checks += expiry_checks(facts.get(kind), kind[:-1], now, expected['expiry_warn_days'], expected['expiry_fail_days'])
    if facts.get('key_vault'):
        declared = declared_vault_assignments(expected.get('key_vault_role_assignments'), facts['key_vault']['id'],
                                              facts.get('identities'))
        checks += role_assignment_checks(actual_assignments(facts.get('role_assignments'), facts.get('role_names')),
                                         declared, 'key vault %s' % facts['key_vault'].get('name'))
    if 'delivery_identity' in facts:
        checks += delivery_identity_checks(facts['delivery_identity'], facts.get('delivery_role_assignments'),
                                           facts.get('delivery_role_names'), expected.get('delivery_grants'),
                                           expected.get('names', {}).get('delivery_identity'))
    return checks
