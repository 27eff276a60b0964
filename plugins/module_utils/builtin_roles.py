# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Azure's built-in role definitions by name: their GUIDs are the same in every tenant and cloud.

Why: role_assignment resolves a built-in role name here, and role_assignment_info names
the roles of built-in GUIDs, instead of listing the role definitions on every run. Azure refuses a
custom role named like a built-in one, so a name found here means this role. Source:
Microsoft Learn, "Azure built-in roles" (the ID column).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

#: role name as Azure shows it -> role definition GUID
BUILTIN_ROLES = {
    'Owner': '8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
    'Contributor': 'b24988ac-6180-42a0-ab88-20f7382dd24c',
    'Reader': 'acdd72a7-3385-48ef-bd42-f606fba81ae7',
    'User Access Administrator': '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9',
    'AcrPull': '7f951dda-4ed3-4680-a7ca-43fe172d538d',
    'AcrPush': '8311e382-0749-4cb8-b61a-304f252e45ec',
    'Key Vault Administrator': '00482a5a-887f-4fb3-b363-3b7fe8e74483',
    'Key Vault Secrets User': '4633458b-17de-408a-b874-0445c86b69e6',
    'Key Vault Secrets Officer': 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7',
    'Key Vault Certificates Officer': 'a4417e6f-fecd-4de8-b567-7b0420556985',
    'Key Vault Crypto User': '12338af0-0e69-4776-bea7-57ae8d297424',
    'Network Contributor': '4d97b98b-1d4f-4787-a291-c67834d212e7',
    'Managed Identity Operator': 'f1a07417-d97a-45cb-824c-7a7467783830',
    'Azure Kubernetes Service RBAC Cluster Admin': 'b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b',
    'Azure Kubernetes Service RBAC Admin': '3498e952-d568-435e-9b2c-8d77e338d7f7',
    'Azure Kubernetes Service Cluster User Role': '4abbcc35-e782-43d8-92c5-2d3f1bd2253f',
    'Monitoring Metrics Publisher': '3913510d-42f4-4e42-8a64-420c390055eb',
    'Monitoring Reader': '43d0d8ad-25c7-4714-9337-8ba259a9fe05',
    'Monitoring Data Reader': 'b0d8363b-8ddd-447d-831f-62ca05bff136',
    'Storage Blob Data Contributor': 'ba92f5b4-2d11-453d-a403-e96b0029c9fe',
}
_GUID_BY_NAME = dict((name.lower(), guid) for name, guid in BUILTIN_ROLES.items())
_NAME_BY_GUID = dict((guid, name) for name, guid in BUILTIN_ROLES.items())


def builtin_role_guid(name):
    """The GUID of the built-in role of that name (any case), None for any other name."""
    return _GUID_BY_NAME.get(name.strip().lower())


def builtin_role_name(guid):
    """The name of the built-in role of that GUID (any case), None for any other GUID."""
    return _NAME_BY_GUID.get(guid.strip().lower())
