# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Whether a Kubernetes version is one AKS offers in a region.

AKS retires minor versions every few months; a version written into an
inventory a year ago is refused by Azure minutes into a deployment. Checking
it against the region's list first turns that into an immediate, precise error.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


def offered_versions(listing):
    """{minor: [patches]} from a REST-form list_kubernetes_versions result, previews left out."""
    offered = {}
    for entry in (listing or {}).get('values') or []:
        if entry.get('isPreview'):
            continue
        offered[entry['version']] = sorted((entry.get('patchVersions') or {}).keys(), key=version_key)
    return offered


def version_key(version):
    return tuple(int(part) if part.isdigit() else 0 for part in str(version).split('.'))


def version_problem(stated, offered, location, running=None):
    """Why `stated` cannot be used in the region, or None.

    A cluster already running the stated version keeps it even after Azure
    stops offering it for new clusters.
    """
    stated = str(stated)
    if running and (running == stated or running.startswith(stated + '.')):
        return None
    minor = '.'.join(stated.split('.')[:2])
    patches = offered.get(minor)
    if patches is not None and (stated == minor or stated in patches):
        return None
    choices = ', '.join('%s (%s)' % (m, ', '.join(p)) if p else m for m, p in sorted(offered.items(), key=lambda i: version_key(i[0])))
    return 'Kubernetes %s is not offered by AKS in %s; offered: %s' % (stated, location, choices or 'none')
