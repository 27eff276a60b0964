# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A fake Microsoft.Network / privatedns SDK client holding REST documents, for the network module tests."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
from unittest import mock

from azure.core.exceptions import ResourceNotFoundError

from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule
from ansible_collections.phonebill.platform.tests.unit.plugins.modules.module_runner import run_module

SUB = '00000000-0000-0000-0000-000000000001'
AUTH = dict(subscription_id=SUB, client_id='app', secret='very-secret-value', tenant='tenant')
RG = 'rg-phonebill-prod'
PREFIX = '/subscriptions/%s/resourceGroups/%s/providers/Microsoft.Network' % (SUB, RG)


class Operations:
    """One SDK operations group: documents keyed by the lower-cased key path (group, name[, child])."""

    def __init__(self, kind, log, serve=None):
        self.kind = kind
        self.items = {}
        self.log = log
        self.serve = serve or (lambda keys, body, before: body)

    @staticmethod
    def _key(keys):
        return tuple(k.lower() for k in keys)

    def add(self, document, *keys):
        self.items[self._key(keys)] = copy.deepcopy(document)

    def get(self, *keys, **_kwargs):
        if self._key(keys) not in self.items:
            raise ResourceNotFoundError('The Resource %r under resource group %r was not found.' % (keys[-1], keys[0]))
        return copy.deepcopy(self.items[self._key(keys)])

    def begin_create_or_update(self, *args, **_kwargs):
        keys, body = args[:-1], args[-1]
        self.log.append(('put', self.kind) + tuple(keys) + (copy.deepcopy(body),))
        stored = self.serve(keys, copy.deepcopy(body), self.items.get(self._key(keys)))
        stored.setdefault('name', keys[-1])
        stored.setdefault('properties', {})['provisioningState'] = 'Succeeded'
        self.items[self._key(keys)] = stored
        return copy.deepcopy(stored)

    #: the operations that write synchronously (WAF policies)
    create_or_update = begin_create_or_update

    def begin_delete(self, *keys, **_kwargs):
        self.log.append(('delete', self.kind) + tuple(keys))
        self.items.pop(self._key(keys))

    def list(self, *keys):
        prefix = self._key(keys)
        return [copy.deepcopy(v) for k, v in sorted(self.items.items()) if k[:len(prefix)] == prefix]

    def list_all(self):
        return [copy.deepcopy(v) for _k, v in sorted(self.items.items())]


class FakeClient:  # pylint: disable=too-many-instance-attributes
    """Every operations group the network modules use, sharing one write log."""

    def __init__(self):
        self.writes = []
        self.virtual_networks = Operations('virtual_networks', self.writes)
        self.network_security_groups = Operations('network_security_groups', self.writes)
        self.public_ip_addresses = Operations('public_ip_addresses', self.writes)
        self.private_endpoints = Operations('private_endpoints', self.writes)
        self.private_dns_zone_groups = Operations('private_dns_zone_groups', self.writes)
        self.private_zones = Operations('private_zones', self.writes)
        self.virtual_network_links = Operations('virtual_network_links', self.writes)
        self.subnets = Operations('subnets', self.writes)
        self.application_gateways = Operations('application_gateways', self.writes)
        self.web_application_firewall_policies = Operations('web_application_firewall_policies', self.writes)


def run(client, main, args, **kwargs):
    with mock.patch.object(AzureModule, 'client', lambda self, name: client):
        return run_module(main, dict(AUTH, **args), **kwargs)


def run_without_azure(main, args, **kwargs):
    """Run main with a client factory that fails the test if called: bad input must stop before Azure."""
    with mock.patch.object(AzureModule, 'client', side_effect=AssertionError('no client expected')):
        return run_module(main, dict(AUTH, **args), **kwargs)
