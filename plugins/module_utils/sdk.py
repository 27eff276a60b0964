# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Lazy, per-service imports of the Azure SDK.

A module imports only the SDK package of the service it manages, at run time,
so a missing package fails that module with the exact pip requirement to
install instead of failing every module at import.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import importlib


class Service:
    """One Azure SDK package: where its client lives and how to install it."""

    def __init__(self, module, client, requirement):
        self.module = module
        self.client = client
        self.requirement = requirement


# The requirement strings match requirements.txt, which a unit test enforces.
SERVICES = {
    'resource': Service('azure.mgmt.resource.resources', 'ResourceManagementClient', 'azure-mgmt-resource>=26,<27'),
    'network': Service('azure.mgmt.network', 'NetworkManagementClient', 'azure-mgmt-network>=30,<34'),
    'privatedns': Service('azure.mgmt.privatedns', 'PrivateDnsManagementClient', 'azure-mgmt-privatedns>=1.2,<3'),
    'containerservice': Service('azure.mgmt.containerservice', 'ContainerServiceClient',
                                'azure-mgmt-containerservice>=40,<42'),
    'containerregistry': Service('azure.mgmt.containerregistry', 'ContainerRegistryManagementClient',
                                 'azure-mgmt-containerregistry>=14,<16'),
    'msi': Service('azure.mgmt.msi', 'ManagedServiceIdentityClient', 'azure-mgmt-msi>=7.1,<8'),
    'authorization': Service('azure.mgmt.authorization', 'AuthorizationManagementClient',
                             'azure-mgmt-authorization>=4,<5'),
    'redis': Service('azure.mgmt.redis', 'RedisManagementClient', 'azure-mgmt-redis>=14.5,<15'),
    'keyvault': Service('azure.mgmt.keyvault', 'KeyVaultManagementClient', 'azure-mgmt-keyvault>=13,<15'),
    'postgresql': Service('azure.mgmt.postgresqlflexibleservers', 'PostgreSQLManagementClient',
                          'azure-mgmt-postgresqlflexibleservers>=2,<4'),
    'loganalytics': Service('azure.mgmt.loganalytics', 'LogAnalyticsManagementClient',
                            'azure-mgmt-loganalytics>=13,<15'),
    'applicationinsights': Service('azure.mgmt.applicationinsights', 'ApplicationInsightsManagementClient',
                                   'azure-mgmt-applicationinsights>=4.1,<5'),
    'monitor': Service('azure.mgmt.monitor', 'MonitorManagementClient', 'azure-mgmt-monitor>=7,<8'),
    'cdn': Service('azure.mgmt.cdn', 'CdnManagementClient', 'azure-mgmt-cdn>=14,<15'),
    'storage': Service('azure.mgmt.storage', 'StorageManagementClient', 'azure-mgmt-storage>=24,<26'),
    'frontdoor': Service('azure.mgmt.frontdoor', 'FrontDoorManagementClient', 'azure-mgmt-frontdoor>=2,<3'),
}

IDENTITY = Service('azure.identity', None, 'azure-identity>=1.25,<2')
CORE_EXCEPTIONS = Service('azure.core.exceptions', None, 'azure-core>=1.38,<2')
# Requests for ARM operations no SDK package of the collection has, sent through a client's pipeline.
CORE_REST = Service('azure.core.rest', None, 'azure-core>=1.38,<2')


class MissingLibrary(Exception):
    """An SDK package is not installed; carries the pip requirement and the import traceback."""

    def __init__(self, requirement, error):
        super(MissingLibrary, self).__init__(requirement)
        self.requirement = requirement
        self.error = error


def load(service):
    """Import the Python module of a Service, or raise MissingLibrary naming its requirement."""
    try:
        return importlib.import_module(service.module)
    except ImportError as exc:
        raise MissingLibrary(service.requirement, exc)


def client_class(name):
    """The management client class of SERVICES[name]."""
    service = SERVICES[name]
    return getattr(load(service), service.client)
