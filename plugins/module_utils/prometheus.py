# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Azure Monitor managed Prometheus for AKS: the rules its modules and preflight share.

Microsoft's documented set for an AKS cluster ("enable Prometheus with ARM"):
an Azure Monitor workspace, a data collection endpoint and a data collection
rule (kind Linux, stream Microsoft-PrometheusMetrics to the workspace) named
MSProm-<region>-<cluster>, the rule associated with the cluster, and the
cluster's azureMonitorProfile.metrics turned on. Every check is a pure
function returning 'option: what is wrong; the fix' lines with a path prefix,
so a module's validate() and plan_checks call the same code.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.phonebill.platform.plugins.module_utils.validation import mapping_problems, name_problems, tag_problems

# The stream and data source Microsoft's template names; the managed add-on sends to them.
STREAM = 'Microsoft-PrometheusMetrics'
DATA_SOURCE = 'PrometheusDataSource'
DESTINATION = 'MonitoringAccount1'
# The association names the AKS add-on looks for (az aks update --enable-azure-monitor-metrics uses them).
RULE_ASSOCIATION = 'ContainerInsightsMetricsExtension'
ENDPOINT_ASSOCIATION = 'configurationAccessEndpoint'
# Built-in role the metrics reader (the custom metrics adapter) needs on the workspace to run PromQL.
MONITORING_DATA_READER = 'b0d8363b-8ddd-447d-831f-62ca05bff136'

# Regions offering Microsoft.Monitor/accounts (Azure Monitor workspace), public cloud, as the provider
# lists them; Korea South is not one (Container insights maps it to Korea Central).
WORKSPACE_REGIONS = frozenset((
    'australiacentral', 'australiaeast', 'australiasoutheast', 'brazilsouth', 'canadacentral', 'canadaeast',
    'centralindia', 'centralus', 'eastasia', 'eastus', 'eastus2', 'francecentral', 'germanywestcentral',
    'israelcentral', 'italynorth', 'japaneast', 'japanwest', 'koreacentral', 'northcentralus', 'northeurope',
    'norwayeast', 'polandcentral', 'qatarcentral', 'southafricanorth', 'southcentralus', 'southeastasia',
    'southindia', 'swedencentral', 'switzerlandnorth', 'uaenorth', 'uksouth', 'ukwest', 'westcentralus',
    'westeurope', 'westus', 'westus2', 'westus3'))

# kube-state-metrics allow lists: "pods=[app,team],namespaces=[*]" (a resource, then label or annotation keys)
_KEY = r'[A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?'
_ENTRY = r'[a-z][a-z0-9]*=\[(\*|%s(,%s)*)\]' % (_KEY, _KEY)
ALLOWLIST = re.compile(r'^(%s(,%s)*)?$' % (_ENTRY, _ENTRY))
SERVICE_ACCOUNT = re.compile(r'^system:serviceaccount:[a-z0-9]([-a-z0-9]*[a-z0-9])?:[a-z0-9]([-.a-z0-9]*[a-z0-9])?$')
RESOURCE_ID = re.compile(r'^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/[^/]+/[^/]+/[^/]+', re.IGNORECASE)

NAME_RULES = {
    'monitor_workspace': (re.compile(r'^(?!-)[A-Za-z0-9-]{3,43}[A-Za-z0-9]$'),
                          '4-44 letters, digits and -, not starting or ending with -'),
    'data_collection_endpoint': (re.compile(r'^[A-Za-z0-9][-A-Za-z0-9]{1,42}[A-Za-z0-9]$'),
                                 '3-44 letters, digits and -, starting and ending with a letter or digit'),
    'data_collection_rule': (re.compile(r'^[A-Za-z0-9][-A-Za-z0-9_.]{0,62}[A-Za-z0-9_]$|^[A-Za-z0-9]$'),
                             '1-64 letters, digits, -, _ and ., starting with a letter or digit'),
}


def region(location):
    return location.replace(' ', '').lower() if isinstance(location, str) else location


def resource_name_problems(option, value, kind):
    """The naming rule Azure applies to a workspace, endpoint or rule (NAME_RULES)."""
    if value is None:
        return []
    pattern, rule = NAME_RULES[kind]
    if isinstance(value, str) and pattern.match(value):
        return []
    return ['%s: %r is not a valid %s name; use %s' % (option, value, kind.replace('_', ' '), rule)]


def resource_problems(params, kind):
    """The name, resource group and tags of a workspace, endpoint or rule module, as Azure rules them."""
    return (resource_name_problems('name', params['name'], kind)
            + name_problems('resource_group', params['resource_group'], 'resource_group')
            + tag_problems('tags', params['tags']))


def workspace_region_problems(option, location):
    """A region without Azure Monitor workspaces; a location that is not a name is the location checks' to report."""
    if not isinstance(location, str) or region(location) in WORKSPACE_REGIONS:
        return []
    return ['%s: Azure Monitor workspaces are not offered in %s; place the workspace in a region that offers them '
            '(koreacentral for this platform), the cluster can send to another region' % (option, location)]


def allowlist_problems(option, value):
    if value is None or (isinstance(value, str) and ALLOWLIST.match(value)):
        return []
    return ['%s: %r is not a kube-state-metrics allow list; write resource=[key,key] entries separated by commas, '
            'e.g. pods=[app.kubernetes.io/name],namespaces=[*]' % (option, value)]


def resource_id_problems(option, value, what):
    if value is None or (isinstance(value, str) and RESOURCE_ID.match(value)):
        return []
    return ['%s: %r is not a resource id; state the full id of the %s (/subscriptions/.../providers/...)'
            % (option, value, what)]


def association_problems(prefix, params):
    """A rule association names the resource it is on and exactly one of a rule or an endpoint."""
    if params.get('resource_id') in (None, ''):
        found = ['%sresource_id: required; state the id of the AKS cluster the rule collects from' % prefix]
    else:
        found = resource_id_problems(prefix + 'resource_id', params['resource_id'], 'AKS cluster')
    rule, endpoint = params.get('data_collection_rule'), params.get('data_collection_endpoint')
    if params.get('state', 'present') == 'present' and bool(rule) == bool(endpoint):
        found.append('%sdata_collection_rule: state either a data collection rule or (for the %s association) a data '
                     'collection endpoint, not %s' % (prefix, ENDPOINT_ASSOCIATION, 'both' if rule else 'neither'))
    found += resource_id_problems(prefix + 'data_collection_rule', rule, 'data collection rule')
    found += resource_id_problems(prefix + 'data_collection_endpoint', endpoint, 'data collection endpoint')
    return found


def metrics_problems(option, metrics):
    """The cluster's azureMonitorProfile.metrics option: allow lists in the form the add-on reads."""
    if not metrics:
        return []
    if not isinstance(metrics, dict):
        return mapping_problems(option, metrics, 'allow lists (labels_allowlist, annotations_allowlist)')
    return (allowlist_problems(option + '.labels_allowlist', metrics.get('labels_allowlist'))
            + allowlist_problems(option + '.annotations_allowlist', metrics.get('annotations_allowlist')))


def plan_problems(prometheus, aks):
    """The phonebill_prometheus inventory: names, region, allow lists, and that its cluster and workspace exist."""
    if prometheus is None:
        return []
    prefix = 'phonebill_prometheus.'
    if not isinstance(prometheus, dict):
        return ['phonebill_prometheus: must be a mapping (workspace, data_collection_endpoint, data_collection_rule, '
                'cluster, kube_state_metrics); see inventories/prod/group_vars/all/prometheus.yml']
    workspace = prometheus.get('workspace') or {}
    found = []
    if not isinstance(workspace, dict) or not workspace.get('name'):
        found.append('%sworkspace.name: the cluster sends its metrics to an Azure Monitor workspace; name it '
                     '(amw-phonebill-prod)' % prefix)
        workspace = {}
    found += resource_name_problems(prefix + 'workspace.name', workspace.get('name'), 'monitor_workspace')
    # a workspace in the platform's location: that location is the foundation checks' to judge (a typo there is
    # reported once, as phonebill_location), and the module refuses it before any call
    found += workspace_region_problems(prefix + 'workspace.location', workspace.get('location'))
    for key, kind in (('data_collection_endpoint', 'data_collection_endpoint'), ('data_collection_rule', 'data_collection_rule')):
        if not prometheus.get(key):
            found.append('%s%s: required to carry the metrics to the workspace; name it MSProm-<region>-<cluster>'
                         % (prefix, key))
        found += resource_name_problems(prefix + key, prometheus.get(key), kind)
    cluster = prometheus.get('cluster')
    aks_name = (aks or {}).get('name') if isinstance(aks, dict) else None
    if not cluster:
        found.append('%scluster: the data collection rule association needs the cluster it is on; state %s'
                     % (prefix, aks_name or 'the AKS cluster name'))
    elif aks_name is not None and cluster != aks_name:
        found.append('%scluster: %r is not the cluster this inventory creates (phonebill_aks.name %s); state %s'
                     % (prefix, cluster, aks_name, aks_name))
    found += metrics_problems(prefix + 'kube_state_metrics', prometheus.get('kube_state_metrics'))
    found += name_problems(prefix + 'reader_identity', prometheus.get('reader_identity'), 'user_assigned_identity')
    subject = prometheus.get('reader_subject')
    if subject is not None and not (isinstance(subject, str) and SERVICE_ACCOUNT.match(subject)):
        found.append('%sreader_subject: %r is not a service account subject; write '
                     'system:serviceaccount:<namespace>:<service account>' % (prefix, subject))
    elif subject and not prometheus.get('reader_identity'):
        found.append('%sreader_identity: the federated credential of reader_subject needs the identity it acts as; '
                     'name it (id-phonebill-metrics-reader)' % prefix)
    return found
