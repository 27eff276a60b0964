# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Cloud names and metadata endpoints resolve to ARM URL, authority and scope."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

from ansible_collections.phonebill.platform.plugins.module_utils import cloud

SANDBOX_METADATA = {
    'name': 'AzureSandbox',
    'resourceManager': 'https://127.0.0.1:8443/',
    'authentication': {'loginEndpoint': 'https://127.0.0.1:8443', 'audiences': [
        'https://management.core.windows.net/', 'https://management.azure.com/']},
    'suffixes': {'keyVaultDns': 'vault.azure.net'},
}


def no_fetch(url):
    raise AssertionError('no fetch expected for %s' % url)


@pytest.mark.parametrize('name', ['AzureCloud', 'azurecloud', 'AzurePublicCloud', None, ''])
def test_public_cloud_names(name):
    resolved = cloud.resolve_cloud(name, no_fetch)
    assert resolved.resource_manager == 'https://management.azure.com/'
    assert resolved.scope == 'https://management.core.windows.net/.default'
    assert resolved.custom is False


def test_sovereign_cloud_by_alias():
    china = cloud.resolve_cloud('AZURE_CHINA_CLOUD', no_fetch)
    assert china.login == 'https://login.chinacloudapi.cn/' and china.keyvault_dns == 'vault.azure.cn'


def test_unknown_name_lists_the_choices():
    with pytest.raises(cloud.CloudError, match='AzureChinaCloud.*metadata endpoint'):
        cloud.resolve_cloud('MarsCloud', no_fetch)


@pytest.mark.parametrize('given', ['https://127.0.0.1:8443', 'https://127.0.0.1:8443/',
                                   'https://127.0.0.1:8443/metadata/endpoints',
                                   'https://127.0.0.1:8443/metadata/endpoints?api-version=2019-05-01'])
def test_metadata_url_forms(given):
    fetched = []

    def fetch(url):
        fetched.append(url)
        return json.dumps(SANDBOX_METADATA)

    resolved = cloud.resolve_cloud(given, fetch)
    assert fetched == ['https://127.0.0.1:8443/metadata/endpoints?api-version=2019-05-01']
    assert resolved.resource_manager == 'https://127.0.0.1:8443/'
    assert resolved.login == 'https://127.0.0.1:8443/'
    assert resolved.scope == 'https://management.core.windows.net/.default'
    assert resolved.custom is True


def test_new_list_form_of_metadata_is_accepted():
    resolved = cloud.resolve_cloud('https://h/', lambda url: json.dumps([SANDBOX_METADATA]))
    assert resolved.name == 'AzureSandbox'


def test_incomplete_or_non_json_metadata_is_reported():
    with pytest.raises(cloud.CloudError, match='lacks'):
        cloud.resolve_cloud('https://h/', lambda url: json.dumps({'resourceManager': 'https://h/'}))
    with pytest.raises(cloud.CloudError, match='did not return JSON'):
        cloud.resolve_cloud('https://h/', lambda url: '<html>')
