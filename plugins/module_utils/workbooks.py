# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Azure Monitor workbooks (Microsoft.Insights/workbooks): naming, content and input checks.

Azure names a workbook by a GUID and shows people its display name. A name
derived from the display name and the scope (uuid5) makes every run address
the same workbook, so a rerun updates it instead of adding a copy; a
workbook someone made with the same display name under another GUID is found
by its display name and managed in place (reported, never duplicated).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import uuid

from ansible_collections.phonebill.platform.plugins.module_utils.validation import (
    choice_problems, described, guid_problems, tag_problems)

# The namespace of every derived workbook name: fixed, so a name never changes between runs or machines.
WORKBOOK_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, 'https://galaxy.ansible.com/phonebill/platform/workbooks')
# Workbooks_ListByResourceGroup's category values (workbooks_API.json 2023-06-01, CategoryParameter).
CATEGORIES = ('workbook', 'TSG', 'performance', 'retention')
# The only kind 2023-06-01 accepts ("The kind of workbook. Only valid value is shared.").
KIND = 'shared'
# The schema version of the serialized content the portal writes and reads.
NOTEBOOK_VERSION = 'Notebook/1.0'


def workbook_name(scope, display_name):
    """The workbook's GUID name for a display name in a scope (the resource group id), the same on every run."""
    return str(uuid.uuid5(WORKBOOK_NAMESPACE, '%s|%s' % (scope.lower().rstrip('/'), display_name)))


def content(value):
    """The workbook content as a dict, from a dict or its JSON text; None when it is neither."""
    if isinstance(value, dict):
        return value
    if isinstance(value, str):
        try:
            parsed = json.loads(value)
        except ValueError:
            return None
        return parsed if isinstance(parsed, dict) else None
    return None


def serialized(value):
    """The JSON text Azure stores in properties.serializedData (keys sorted: the same text on every run)."""
    return json.dumps(content(value), sort_keys=True, separators=(',', ':'))


def same_display_name(workbooks, display_name, name, source_id=None):
    """The workbooks (REST dicts of a listing) other than `name` that carry this display name.

    Those reading `source_id` first, then by name: the one adopted is the same on every run.
    """
    source = str(source_id or '').lower().rstrip('/')
    found = [w for w in workbooks or [] if (w.get('properties') or {}).get('displayName') == display_name
             and str(w.get('name', '')).lower() != str(name).lower()]
    return sorted(found, key=lambda w: (str((w.get('properties') or {}).get('sourceId') or '').lower().rstrip('/')
                                        != source, str(w.get('name', '')).lower()))


def workbook_problems(params, prefix=''):
    """Workbook options: a GUID name, a display name, content that is a Notebook document, the category."""
    found = guid_problems(prefix + 'name', params.get('name'))
    display = params.get('display_name')
    if not (isinstance(display, str) and display.strip()):
        found.append('%sdisplay_name: %s is not a display name; give the name the ops team sees in the portal'
                     % (prefix, described(display)))
    data = params.get('serialized_data')
    if data is not None:
        document = content(data)
        if document is None:
            found.append('%sserialized_data: not a JSON object; give the workbook content (the Advanced Editor\'s '
                         'Gallery Template JSON) as a mapping or its JSON text' % prefix)
        elif document.get('version') != NOTEBOOK_VERSION or not isinstance(document.get('items'), list):
            found.append('%sserialized_data: not a workbook document; it needs "version": "%s" and a list of "items"'
                         % (prefix, NOTEBOOK_VERSION))
    found += choice_problems(prefix + 'category', params.get('category'), CATEGORIES)
    source = params.get('source_id')
    if source is not None and not (isinstance(source, str) and source.lower().startswith('/subscriptions/')):
        found.append('%ssource_id: %s is not a resource id; give the id of the workspace or component the workbook '
                     'reads (/subscriptions/.../providers/...)' % (prefix, described(source)))
    return found + tag_problems(prefix + 'tags', params.get('tags'))
