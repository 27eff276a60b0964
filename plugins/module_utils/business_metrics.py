# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Checks of the SPEC §9 business and technical metrics (phonebill_business_metrics).

Each metric becomes a log search alert and a workbook tile. A threshold that
can never be crossed (a success rate of 120%) or a metric without one (the
cache hit ratio's 95% target left out) gives an alert that never fires and a
workbook that shows no target: found here, before anything is written.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.phonebill.platform.plugins.module_utils import monitor_checks
from ansible_collections.phonebill.platform.plugins.module_utils.validation import (
    choice_problems, described, item_label, items_of, list_problems)

CATEGORIES = ('business', 'technical')
PERCENT = 'percent'


def _number(value):
    return not isinstance(value, bool) and isinstance(value, (int, float))


def threshold_problems(where, metric):
    """Exactly one of min (stay above) and max (stay under), a number, within 0-100 for a percentage."""
    stated = [key for key in ('min', 'max') if metric.get(key) is not None]
    if len(stated) != 1:
        return ['%s.min: %s; state the target the metric must stay above (min) or the limit it must stay under (max), '
                'exactly one' % (where, 'both min and max are stated' if stated else 'no threshold is stated')]
    key = stated[0]
    value = metric[key]
    if not _number(value):
        return ['%s.%s: %s is not a number; state the threshold as a number' % (where, key, described(value))]
    if metric.get('unit') == PERCENT and not 0 <= value <= 100:
        return ['%s.%s: %s is not a percentage; a metric in percent is crossed only by a value from 0 to 100'
                % (where, key, value)]
    return []


def business_metrics_problems(value, prefix='phonebill_business_metrics'):
    """Every problem of the list of metrics, each naming the entry by its name."""
    found, seen = list_problems(prefix, value, 'metrics (name, query, column, min or max, ...)'), set()
    for position, metric in enumerate(items_of(value)):
        where = '%s[%s]' % (prefix, item_label(metric, position))
        if not isinstance(metric, dict):
            found.append('%s must be a mapping (name, query, column, min or max, ...), not %s'
                         % (where, described(metric)))
            continue
        name = metric.get('name')
        if not name:
            found.append('%s.name: required; name every metric (it names its alert)' % where)
        elif name in seen:
            found.append('%s.name: %s is named twice; names identify alerts, make them unique' % (where, name))
        seen.add(name)
        for key, what in (('display_name', 'the title the workbook shows'), ('query', 'the Kusto query'),
                          ('column', 'the column of the query holding the value')):
            if not (isinstance(metric.get(key), str) and metric[key].strip()):
                found.append('%s.%s: required; give %s' % (where, key, what))
        found += choice_problems(where + '.category', metric.get('category'), CATEGORIES)
        if metric.get('category') is None:
            found.append('%s.category: required; business or technical (the workbook section)' % where)
        for key in ('severity', 'evaluation_frequency', 'window_size'):
            if metric.get(key) is None:
                found.append('%s.%s: required; the alert needs it (severity 0-4, durations such as PT5M)' % (where, key))
        found += threshold_problems(where, metric)
        found += monitor_checks.severity_problems(where + '.severity', metric.get('severity'))
        found += monitor_checks.schedule_problems(where + '.', metric.get('evaluation_frequency'),
                                                  metric.get('window_size'), monitor_checks.LOG_FREQUENCIES,
                                                  monitor_checks.LOG_WINDOWS)
    return found
