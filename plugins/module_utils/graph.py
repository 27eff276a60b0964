# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Microsoft Graph v1.0 requests, as the modules' own identity.

Graph is not ARM: its objects live in the tenant (no subscription, no resource
group), are named by object id or by an alternate key (`appId`,
`uniqueName`), and PATCH answers 204 without a body. Its URL comes from the
cloud's metadata (`microsoftGraphResourceId`), so sovereign clouds and the
sandbox work unchanged; the requests go through token_pipeline (the module's
credential, retries and error reporting). The heavy msgraph-sdk is not needed
for the few calls the collection makes.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from urllib.parse import quote

from ansible_collections.phonebill.platform.plugins.module_utils import token_pipeline

VERSION = 'v1.0'


def key_path(collection, key, value):
    """`/applications(uniqueName='phonebill-api')`: an object by an alternate key (a quote doubled, as OData wants)."""
    return "/%s(%s='%s')" % (collection, key, quote(str(value).replace("'", "''"), safe=''))


def filter_eq(prop, value):
    """`$filter=displayName eq 'x'`, quoted for a URL."""
    return '$filter=' + quote("%s eq '%s'" % (prop, str(value).replace("'", "''")), safe='')


class Graph:
    """The Graph endpoint of the module's cloud; one pipeline client for the run."""

    def __init__(self, module):
        self.module = module
        self._pipeline = None

    @property
    def base(self):
        return self.module.cloud.graph + VERSION

    def request(self, method, path, body=None, headers=None):
        """The JSON answer of `method base+path` (None for 204). Raises the SDK's errors (token_pipeline)."""
        if self._pipeline is None:
            self._pipeline = token_pipeline.client(self.module, self.module.cloud.graph)
        return token_pipeline.send(self.module, self._pipeline, method, self.base + path, body=body, headers=headers)

    def list(self, collection, query):
        """Every object of a collection matching the query, following @odata.nextLink."""
        page = self.request('GET', '/%s?%s' % (collection, query))
        found = list(page.get('value') or [])
        while page.get('@odata.nextLink'):
            page = self.request('GET', page['@odata.nextLink'][len(self.base):])
            found += page.get('value') or []
        return found
