# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The managed Prometheus rules modules and preflight share."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.phonebill.platform.plugins.module_utils import prometheus

CLUSTER = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks'
RULE = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Insights/dataCollectionRules/MSProm-koreacentral-aks'


@pytest.mark.parametrize('value', ['', 'pods=[app]', 'pods=[*]', 'pods=[app.kubernetes.io/name,team],namespaces=[*]',
                                   'deployments=[app.kubernetes.io/name]'])
def test_allow_lists_the_add_on_reads(value):
    assert prometheus.allowlist_problems('x', value) == []


@pytest.mark.parametrize('value', ['pods=app', 'pods=[]', 'Pods=[app]', 'pods=[app],', 'pods=[app] ,nodes=[a]', 'pods=[-a]'])
def test_allow_lists_the_add_on_cannot_read(value):
    problems = prometheus.allowlist_problems('kube_state_metrics.labels_allowlist', value)
    assert len(problems) == 1 and problems[0].startswith('kube_state_metrics.labels_allowlist: ')
    assert 'resource=[key,key]' in problems[0]


def test_workspace_regions_either_form():
    assert prometheus.workspace_region_problems('location', 'Korea Central') == []
    assert prometheus.workspace_region_problems('location', None) == []
    problem, = prometheus.workspace_region_problems('w.location', 'koreasouth')
    assert problem.startswith('w.location: Azure Monitor workspaces are not offered in koreasouth')


@pytest.mark.parametrize('kind,good,bad', [
    ('monitor_workspace', 'amw-phonebill-prod', '-amw'),
    ('data_collection_endpoint', 'MSProm-koreacentral-aks-phonebill-prod', 'MSProm-' + 'x' * 40),
    ('data_collection_rule', 'MSProm-koreacentral-aks-phonebill-prod', 'dcr/with/slash'),
])
def test_names_as_azure_rules_them(kind, good, bad):
    assert prometheus.resource_name_problems('name', good, kind) == []
    assert prometheus.resource_name_problems('name', bad, kind)[0].startswith("name: %r is not a valid" % bad)


def test_association_names_one_target_on_an_existing_resource_id():
    assert prometheus.association_problems('', dict(resource_id=CLUSTER, data_collection_rule=RULE)) == []
    both = prometheus.association_problems('', dict(resource_id=CLUSTER, data_collection_rule=RULE,
                                                    data_collection_endpoint=RULE))
    assert both == ['data_collection_rule: state either a data collection rule or (for the configurationAccessEndpoint '
                    'association) a data collection endpoint, not both']
    neither = prometheus.association_problems('a.', dict(resource_id='aks-phonebill-prod'))
    assert [p.split(':', maxsplit=1)[0] for p in neither] == ['a.resource_id', 'a.data_collection_rule']
    assert prometheus.association_problems('', dict(resource_id=CLUSTER, state='absent')) == []
    assert prometheus.association_problems('', dict(resource_id='', data_collection_rule=RULE))[0].startswith(
        'resource_id: required')


def test_plan_problems_all_at_once():
    plan = dict(workspace=dict(name='-x', location='koreasouth'), data_collection_endpoint=None,
                data_collection_rule='MSProm-koreacentral-aks', cluster='aks-other',
                kube_state_metrics=dict(annotations_allowlist='pods'))
    found = prometheus.plan_problems(plan, dict(name='aks-phonebill-prod'))
    assert [p.split(':', maxsplit=1)[0] for p in found] == [
        'phonebill_prometheus.workspace.name', 'phonebill_prometheus.workspace.location',
        'phonebill_prometheus.data_collection_endpoint', 'phonebill_prometheus.cluster',
        'phonebill_prometheus.kube_state_metrics.annotations_allowlist']
    assert prometheus.plan_problems(None, None) == []
    assert prometheus.plan_problems(['x'], None)[0].startswith('phonebill_prometheus: must be a mapping')


@pytest.mark.parametrize('wrong', ['text', 7, True, ['text'], {'name': 'x'}, [{'unexpected': 1}]])
@pytest.mark.parametrize('where', [None, 'workspace', 'kube_state_metrics', 'cluster', 'reader_identity'])
def test_type_mix_ups_are_problems_never_python_errors(where, wrong):
    plan = dict(workspace=dict(name='amw-phonebill-prod'), data_collection_endpoint='MSProm-koreacentral-aks',
                data_collection_rule='MSProm-koreacentral-aks', cluster='aks', reader_identity='id-reader')
    if where is None:
        plan = wrong
    else:
        plan[where] = wrong
    found = prometheus.plan_problems(plan, dict(name='aks'))
    if (where, wrong) in (('kube_state_metrics', {'name': 'x'}), ('reader_identity', 'text')):
        assert found == []  # the right type, and a sound value
        return
    assert found and all(isinstance(p, str) and p.startswith('phonebill_prometheus') for p in found), found
