# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What Azure Monitor measured, in the form the operations checks judge (SPEC §9, §10).

Metrics (Metrics - List) and Log Analytics query answers are reduced here to
numbers a check can hold against a threshold: per metric and aggregation the
highest, lowest and latest point; per query column the total and the highest
value. The daily and weekly checks read "did the alert's condition hold at any
time in the period", so a metric is read at the alert's own window as interval
and judged on its worst point.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime

from ansible_collections.phonebill.platform.plugins.module_utils import token_pipeline
from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import to_rest
from ansible_collections.phonebill.platform.plugins.module_utils.monitor_checks import duration_minutes

AGGREGATIONS = ('Average', 'Minimum', 'Maximum', 'Total', 'Count')


def duration_problems(option, value):
    """An ISO 8601 duration of days, hours and minutes (PT24H, P7D)."""
    if value is not None and not duration_minutes(value):
        return ['%s: %r is not an ISO 8601 duration; give days, hours or minutes such as PT24H, P7D or PT5M'
                % (option, value)]
    return []


def timespan(duration, now):
    """The Metrics API timespan 'start/end' (ISO 8601 UTC) of the `duration` ending at `now`."""
    end = now.astimezone(datetime.timezone.utc).replace(microsecond=0)
    start = end - datetime.timedelta(minutes=duration_minutes(duration))
    return '%s/%s' % tuple(moment.strftime('%Y-%m-%dT%H:%M:%SZ') for moment in (start, end))


def summary(metric):
    """Per aggregation asked for (lower-case key): highest, lowest and latest value and how many points had one.

    `metric` is one entry of the answer's `value` in REST form; points without the
    aggregation (nothing emitted in that interval) are not counted, so a metric
    with no data has `points: 0` and no values.
    """
    found = {}
    for series in metric.get('timeseries') or []:
        for point in sorted(series.get('data') or [], key=lambda p: p.get('timeStamp') or ''):
            for aggregation in AGGREGATIONS:
                value = point.get(aggregation.lower())
                if value is None:
                    continue
                slot = found.setdefault(aggregation.lower(), dict(highest=value, lowest=value, latest=value, points=0))
                slot.update(highest=max(slot['highest'], value), lowest=min(slot['lowest'], value), latest=value,
                            points=slot['points'] + 1)
    return found


def dimension_filter(dimensions):
    """The Metrics API $filter of alert dimensions [{name, values}] ("a eq 'x' or a eq 'y'" per name, and-ed)."""
    clauses = []
    for dimension in dimensions or []:
        values = ["%s eq '%s'" % (dimension['name'], value.replace("'", "''")) for value in dimension.get('values') or []]
        if values:
            clauses.append(values[0] if len(values) == 1 else '(%s)' % ' or '.join(values))
    return ' and '.join(clauses) or None


def rows(tables):
    """The first table of a Log Analytics answer (PrimaryResult) as dicts by column name."""
    if not tables:
        return []
    names = [column['name'] for column in tables[0].get('columns') or []]
    return [dict(zip(names, row)) for row in tables[0].get('rows') or []]


def _number(value):
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return value
    try:  # the query API sends long and real values of some tables as strings (oms-post-example.json)
        return float(value)
    except (TypeError, ValueError):
        return None


def column_summary(tables):
    """Per numeric column of the first table: total and highest over the rows (zero rows: none)."""
    found = {}
    for row in rows(tables):
        for name, value in row.items():
            number = _number(value)
            if number is None:
                continue
            slot = found.setdefault(name, dict(total=0, highest=number, rows=0))
            slot.update(total=slot['total'] + number, highest=max(slot['highest'], number), rows=slot['rows'] + 1)
    return found


def query(module, scope_path, text, duration):
    """POST a query to the Log Analytics query API (`/v1/workspaces/{id}` or `/v1{resourceId}` + `/query`).

    The audience is the query API's own URL (token_pipeline). Raises the SDK's errors.
    """
    endpoint = module.cloud.log_analytics
    return token_pipeline.send(module, token_pipeline.client(module, endpoint), 'POST',
                               endpoint + 'v1' + scope_path + '/query', body=dict(query=text, timespan=duration)) or {}


def read_metrics(module, resource_id, names, period, interval, aggregations, namespace=None, dimensions=()):
    """Metrics - List of one resource over the `period` ending now: (answer in REST form, [{name, unit, timeseries,
    summary}] in the order asked). Shared by monitor_metrics_info and the modules that judge metrics themselves."""
    span = timespan(period, datetime.datetime.now(datetime.timezone.utc))
    answer = to_rest(module.call(
        'read the metrics %s of %s' % (', '.join(names), resource_id),
        module.client('monitor').metrics.list, resource_id, timespan=span, interval=interval,
        metricnames=','.join(names), aggregation=','.join(aggregations),
        metricnamespace=namespace, filter=dimension_filter(dimensions)))
    answer.setdefault('timespan', span)
    return answer, [dict(name=(item.get('name') or {}).get('value'), unit=item.get('unit'),
                         timeseries=item.get('timeseries') or [], summary=summary(item))
                    for item in answer.get('value') or []]
