# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Where Azure lives: the ARM base URL, the login authority and the token audience.

The same modules run against public Azure, sovereign clouds and the local
sandbox; everything cloud-specific is resolved here once, from a cloud name
or from the URL of an ARM metadata endpoint.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

from urllib.parse import urlsplit, urlencode, parse_qsl, urlunsplit

METADATA_API_VERSION = '2019-05-01'


class Cloud:
    """The endpoints one Azure cloud is reached at."""

    def __init__(self, name, resource_manager, login, audience, keyvault_dns='vault.azure.net', custom=False,
                 log_analytics='https://api.loganalytics.io', graph='https://graph.microsoft.com'):
        self.name = name
        #: Microsoft Graph: its URL is also its token audience (ARM metadata `microsoftGraphResourceId`)
        self.graph = graph.rstrip('/') + '/'
        #: the Log Analytics query API: its URL is also its token audience (ARM metadata `logAnalyticsResourceId`)
        self.log_analytics = log_analytics.rstrip('/') + '/'
        self.resource_manager = resource_manager.rstrip('/') + '/'
        self.login = login.rstrip('/') + '/'
        self.audience = audience.rstrip('/') + '/'
        self.keyvault_dns = keyvault_dns
        self.custom = custom

    @property
    def scope(self):
        """The token scope ARM calls need (audience + /.default)."""
        return self.audience + '.default'

    @property
    def keyvault_scope(self):
        """The token scope of Key Vault's data plane: its challenge names https://<the cloud's Key Vault DNS suffix>."""
        return 'https://%s/.default' % self.keyvault_dns.strip('.')

    def as_dict(self):
        return dict(name=self.name, resource_manager=self.resource_manager, login=self.login,
                    audience=self.audience, keyvault_dns=self.keyvault_dns, log_analytics=self.log_analytics,
                    graph=self.graph)


KNOWN_CLOUDS = {
    'azurecloud': Cloud('AzureCloud', 'https://management.azure.com/', 'https://login.microsoftonline.com/',
                        'https://management.core.windows.net/'),
    'azurechinacloud': Cloud('AzureChinaCloud', 'https://management.chinacloudapi.cn/',
                             'https://login.chinacloudapi.cn/', 'https://management.core.chinacloudapi.cn/',
                             keyvault_dns='vault.azure.cn', log_analytics='https://api.loganalytics.azure.cn',
                             graph='https://microsoftgraph.chinacloudapi.cn'),
    'azureusgovernment': Cloud('AzureUSGovernment', 'https://management.usgovcloudapi.net/',
                               'https://login.microsoftonline.us/', 'https://management.core.usgovcloudapi.net/',
                               keyvault_dns='vault.usgovcloudapi.net', log_analytics='https://api.loganalytics.us',
                               graph='https://graph.microsoft.us'),
}
# Names the Azure SDK (msrestazure) and azure.azcollection accept for the same clouds.
CLOUD_ALIASES = {
    'azurepubliccloud': 'azurecloud',
    'azure_public_cloud': 'azurecloud',
    'azure_china_cloud': 'azurechinacloud',
    'azure_us_gov_cloud': 'azureusgovernment',
    'azureusgovcloud': 'azureusgovernment',
}


class CloudError(Exception):
    """The cloud_environment value cannot be resolved."""


def metadata_url(url):
    """The metadata endpoint for a URL that may be only the ARM base."""
    parts = urlsplit(url)
    path = parts.path
    if not path.rstrip('/').endswith('/metadata/endpoints'):
        path = path.rstrip('/') + '/metadata/endpoints'
    query = dict(parse_qsl(parts.query))
    query.setdefault('api-version', METADATA_API_VERSION)
    return urlunsplit((parts.scheme, parts.netloc, path, urlencode(query), ''))


def cloud_from_metadata(document):
    """Build a Cloud from an ARM metadata document (the classic single-cloud form)."""
    if isinstance(document, list):
        document = document[0] if document else {}
    try:
        auth = document['authentication']
        return Cloud(
            name=document.get('name', 'custom'),
            resource_manager=document['resourceManager'],
            login=auth['loginEndpoint'],
            audience=auth['audiences'][0],
            keyvault_dns=document.get('suffixes', {}).get('keyVaultDns', 'vault.azure.net'),
            custom=True,
            log_analytics=document.get('logAnalyticsResourceId') or 'https://api.loganalytics.io',
            graph=document.get('microsoftGraphResourceId') or 'https://graph.microsoft.com',
        )
    except (KeyError, IndexError, TypeError) as exc:
        raise CloudError('the metadata document lacks %s' % exc)


#: clouds read from a metadata URL by the process that forks Ansible's task workers (plugin_utils/in_process.py),
#: by the cloud_environment value: inherited by the workers, so a module run there fetches no metadata
WARM_CLOUDS = {}


def resolve_cloud(value, fetch_text):
    """Resolve a cloud name or metadata URL; fetch_text(url) returns the body of a GET."""
    if not value:
        return KNOWN_CLOUDS['azurecloud']
    if value.lower().startswith(('https://', 'http://')):
        url = metadata_url(value)
        try:
            return cloud_from_metadata(json.loads(fetch_text(url)))
        except ValueError as exc:
            raise CloudError('%s did not return JSON: %s' % (url, exc))
    key = value.lower()
    key = CLOUD_ALIASES.get(key, key)
    if key not in KNOWN_CLOUDS:
        raise CloudError('unknown cloud %r; use one of %s or the URL of an ARM metadata endpoint'
                         % (value, ', '.join(sorted(c.name for c in KNOWN_CLOUDS.values()))))
    return KNOWN_CLOUDS[key]
