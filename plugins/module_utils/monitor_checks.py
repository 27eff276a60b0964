# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Input checks of the observability modules, shared with preflight's plan checks.

Azure Monitor refuses a bad alert only when it is written, one error at a
time, after the resources it watches were built; these pure functions find
every problem first. Each takes the option path as prefix ('' in a module,
'phonebill_alerts.metric[cpu].' in preflight) and returns
'option: what is wrong; the fix' lines.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.phonebill.platform.plugins.module_utils.validation import (
    choice_problems, described, https_url_problems, item_label, items_of, list_problems, name_problems, tag_problems)

# Metric alerts (Microsoft.Insights/metricAlerts 2018-03-01): the evaluation frequencies and window sizes
# Azure accepts (Microsoft Learn, "Create or edit a metric alert rule").
METRIC_FREQUENCIES = ('PT1M', 'PT5M', 'PT15M', 'PT30M', 'PT1H')
METRIC_WINDOWS = ('PT1M', 'PT5M', 'PT15M', 'PT30M', 'PT1H', 'PT6H', 'PT12H', 'P1D')
# Log search alerts (Microsoft.Insights/scheduledQueryRules 2023-12-01), Microsoft Learn "Create or edit a log
# search alert rule": frequency 1 minute to 1 day, window up to 2 days.
LOG_FREQUENCIES = ('PT1M', 'PT5M', 'PT10M', 'PT15M', 'PT30M', 'PT45M', 'PT1H', 'PT2H', 'PT3H', 'PT4H', 'PT5H',
                   'PT6H', 'P1D')
LOG_WINDOWS = LOG_FREQUENCIES[:-1] + ('PT12H', 'P1D', 'P2D')
SEVERITIES = (0, 4)
METRIC_OPERATORS = ('Equals', 'GreaterThan', 'GreaterThanOrEqual', 'LessThan', 'LessThanOrEqual')
LOG_OPERATORS = METRIC_OPERATORS
METRIC_AGGREGATIONS = ('Average', 'Count', 'Minimum', 'Maximum', 'Total')
LOG_AGGREGATIONS = ('Average', 'Count', 'Minimum', 'Maximum', 'Total')
DIMENSION_OPERATORS = ('Include', 'Exclude')
# Action groups: groupShortName is what SMS and e-mails show, 1-12 characters.
SHORT_NAME_MAX = 12
# Application Insights: the retention periods Azure offers (days) and sampling as a percentage.
APP_INSIGHTS_RETENTION_DAYS = (30, 60, 90, 120, 180, 270, 365, 550, 730)
# Deliberately simple: one @, no spaces, a dot in the domain. Azure checks deliverability itself.
EMAIL = re.compile(r'^[^@\s]+@[^@\s]+\.[^@\s.]+$')
_DURATION = re.compile(r'^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$')


def duration_minutes(value):
    """Minutes of an ISO 8601 duration such as PT5M, PT1H or P1D; None when it is not one."""
    match = _DURATION.match(value.upper()) if isinstance(value, str) else None
    if not match or not any(match.groups()) or value.endswith('T'):
        return None
    days, hours, minutes = (int(part or 0) for part in match.groups())
    return days * 1440 + hours * 60 + minutes


def _duration_problems(option, value, allowed):
    if value is None:
        return []
    if duration_minutes(value) is None:
        return ['%s: %s is not an ISO 8601 duration; use one of %s' % (option, described(value), ', '.join(allowed))]
    if value.upper() not in allowed:
        return ['%s: %s is not a value Azure accepts here; use one of %s' % (option, value, ', '.join(allowed))]
    return []


def schedule_problems(prefix, frequency, window, frequencies, windows):
    """Evaluation frequency and window: valid durations Azure accepts, the window at least the frequency."""
    found = _duration_problems(prefix + 'evaluation_frequency', frequency, frequencies)
    found += _duration_problems(prefix + 'window_size', window, windows)
    every, over = duration_minutes(frequency), duration_minutes(window)
    if not found and every is not None and over is not None and over < every:
        found.append('%swindow_size: %s is shorter than evaluation_frequency %s, so some data would never be '
                     'evaluated; make the window at least the frequency' % (prefix, window, frequency))
    return found


def severity_problems(option, value):
    if value is None:
        return []
    if isinstance(value, bool) or not isinstance(value, int) or not SEVERITIES[0] <= value <= SEVERITIES[1]:
        return ['%s: %s is not an alert severity; use 0 (critical) to 4 (verbose)' % (option, described(value))]
    return []


def _number_problems(option, value):
    if value is None or isinstance(value, bool) or not isinstance(value, (int, float)):
        return ['%s: %s is not a number; state the threshold as a number' % (option, described(value))]
    return []


def _named_entries(option, value, what):
    """(path, item) of each mapping of a list named by its 'name', and the problems of the rest."""
    found, entries, seen = list_problems(option, value, what), [], set()
    for position, item in enumerate(items_of(value)):
        where = '%s[%s]' % (option, item_label(item, position))
        if not isinstance(item, dict):
            found.append('%s must be a mapping (%s), not %s' % (where, what, described(item)))
            continue
        if not item.get('name'):
            found.append('%s.name: required; name every entry' % where)
        elif str(item['name']).lower() in seen:
            found.append('%s.name: %s is named twice; names identify entries, make them unique' % (where, item['name']))
        seen.add(str(item.get('name')).lower())
        entries.append((where, item))
    return entries, found


def action_group_reference_problems(option, value):
    """Action groups named by name (same resource group) or full resource id."""
    found = list_problems(option, value, 'action group names or resource ids')
    for item in items_of(value):
        if not isinstance(item, str) or not item:
            found.append('%s: %s is not an action group name or id; give its name or resource id'
                         % (option, described(item)))
        elif '/' in item and not item.lower().startswith('/subscriptions/'):
            found.append('%s: %r is not a resource id; give the name of an action group of the resource group or its '
                         'full id /subscriptions/.../providers/Microsoft.Insights/actionGroups/NAME' % (option, item))
    return found


def _scope_problems(option, value, required):
    found = list_problems(option, value, 'resource ids')
    if required and not items_of(value):
        found.append('%s: required; name the resource the alert watches by its resource id' % option)
    for item in items_of(value):
        if not (isinstance(item, str) and item.lower().startswith('/subscriptions/')):
            found.append('%s: %s is not a resource id; give /subscriptions/.../providers/...' % (option, described(item)))
    return found


def metric_alert_problems(params, prefix=''):
    """A metric alert (metric_alert's options, or an entry of the inventory with its prefix)."""
    found = severity_problems(prefix + 'severity', params.get('severity'))
    found += schedule_problems(prefix, params.get('evaluation_frequency'), params.get('window_size'),
                               METRIC_FREQUENCIES, METRIC_WINDOWS)
    found += action_group_reference_problems(prefix + 'action_groups', params.get('action_groups'))
    found += tag_problems(prefix + 'tags', params.get('tags'))
    criteria, problems = _named_entries(prefix + 'criteria', params.get('criteria'),
                                        'name, metric_name, operator, threshold, time_aggregation')
    found += problems
    if params.get('state', 'present') == 'present' and params.get('criteria') is not None and not criteria:
        found.append('%scriteria: empty; state at least one criterion' % prefix)
    for where, item in criteria:
        if not item.get('metric_name'):
            found.append('%s.metric_name: required; name the metric, e.g. node_cpu_usage_percentage' % where)
        found += choice_problems(where + '.operator', item.get('operator'), METRIC_OPERATORS)
        found += choice_problems(where + '.time_aggregation', item.get('time_aggregation'), METRIC_AGGREGATIONS)
        found += _number_problems(where + '.threshold', item.get('threshold'))
        dimensions, problems = _named_entries(where + '.dimensions', item.get('dimensions'), 'name, operator, values')
        found += problems
        for place, dimension in dimensions:
            found += choice_problems(place + '.operator', dimension.get('operator'), DIMENSION_OPERATORS)
            found += list_problems(place + '.values', dimension.get('values'), 'dimension values')
    return found


def scheduled_query_alert_problems(params, prefix=''):
    """A log search alert (scheduled_query_alert's options, or an inventory entry with its prefix)."""
    found = severity_problems(prefix + 'severity', params.get('severity'))
    found += schedule_problems(prefix, params.get('evaluation_frequency'), params.get('window_size'),
                               LOG_FREQUENCIES, LOG_WINDOWS)
    found += action_group_reference_problems(prefix + 'action_groups', params.get('action_groups'))
    found += tag_problems(prefix + 'tags', params.get('tags'))
    found += list_problems(prefix + 'criteria', params.get('criteria'), 'conditions (query, operator, threshold, ...)')
    for position, item in enumerate(items_of(params.get('criteria'))):
        where = '%scriteria[%d]' % (prefix, position)
        if not isinstance(item, dict):
            found.append('%s must be a mapping (query, operator, threshold, time_aggregation), not %s'
                         % (where, described(item)))
            continue
        if not item.get('query'):
            found.append('%s.query: required; give the Kusto query the condition evaluates' % where)
        found += choice_problems(where + '.operator', item.get('operator'), LOG_OPERATORS)
        found += choice_problems(where + '.time_aggregation', item.get('time_aggregation'), LOG_AGGREGATIONS)
        found += _number_problems(where + '.threshold', item.get('threshold'))
        if item.get('time_aggregation') not in (None, 'Count') and not item.get('metric_measure_column'):
            found.append('%s.metric_measure_column: required with time_aggregation %s; name the column to aggregate'
                         % (where, item['time_aggregation']))
        periods = item.get('failing_periods') or {}
        total, failing = periods.get('number_of_evaluation_periods'), periods.get('min_failing_periods_to_alert')
        if isinstance(total, int) and isinstance(failing, int) and failing > total:
            found.append('%s.failing_periods: %d failing periods of %d evaluated can never happen; make '
                         'min_failing_periods_to_alert at most number_of_evaluation_periods' % (where, failing, total))
    return found


def action_group_problems(params, prefix=''):
    """An action group: short name, at least one receiver, e-mail syntax, https webhooks (URLs never quoted)."""
    found = []
    short = params.get('short_name')
    if short is not None and not (isinstance(short, str) and 1 <= len(short) <= SHORT_NAME_MAX):
        found.append('%sshort_name: %s has more than %d characters or none; Azure shows it in notifications, shorten it'
                     % (prefix, described(short), SHORT_NAME_MAX))
    emails, problems = _named_entries(prefix + 'email_receivers', params.get('email_receivers'), 'name, email_address')
    found += problems
    for where, item in emails:
        if not (isinstance(item.get('email_address'), str) and EMAIL.match(item['email_address'])):
            found.append('%s.email_address: %s is not an e-mail address; give one like ops@example.com'
                         % (where, described(item.get('email_address'))))
    hooks, problems = _named_entries(prefix + 'webhook_receivers', params.get('webhook_receivers'), 'name, service_uri')
    found += problems
    for where, item in hooks:
        # The URL embeds the Teams connector's token: the message names the option, never the value.
        if https_url_problems(where + '.service_uri', item.get('service_uri')) or not item.get('service_uri'):
            found.append('%s.service_uri: not an https URL; give the webhook URL Teams (or the receiver) issued, '
                         'starting with https://' % where)
    if params.get('state', 'present') == 'present' and not emails and not hooks:
        found.append('%semail_receivers: an action group without any receiver notifies nobody; state at least one '
                     'e-mail or webhook receiver' % prefix)
    found += tag_problems(prefix + 'tags', params.get('tags'))
    return found


def application_insights_problems(params, prefix=''):
    found = tag_problems(prefix + 'tags', params.get('tags'))
    sampling = params.get('sampling_percentage')
    if sampling is not None and (isinstance(sampling, bool) or not isinstance(sampling, (int, float))
                                 or not 0 < sampling <= 100):
        found.append('%ssampling_percentage: %s is not a percentage above 0 and up to 100; e.g. 10 keeps one '
                     'telemetry item in ten' % (prefix, described(sampling)))
    retention = params.get('retention_days')
    if retention is not None and retention not in APP_INSIGHTS_RETENTION_DAYS:
        found.append('%sretention_days: %s is not a retention Azure offers; use one of %s'
                     % (prefix, described(retention), ', '.join(map(str, APP_INSIGHTS_RETENTION_DAYS))))
    workspace = params.get('workspace')
    if workspace is not None and '/' in str(workspace) and not str(workspace).lower().startswith('/subscriptions/'):
        found.append('%sworkspace: %r is not a resource id; give the workspace name or its full id' % (prefix, workspace))
    return found


def _category_key(item):
    return item.get('category') or item.get('category_group')


def diagnostic_setting_problems(params, prefix=''):
    """Logs by category or category group (one of the two), metrics by category, each named once."""
    found = []
    for option in ('logs', 'metrics'):
        value = params.get(option)
        found += list_problems(prefix + option, value, 'mappings with category (or category_group) and enabled')
        seen = set()
        for position, item in enumerate(items_of(value)):
            if not isinstance(item, dict):
                found.append('%s%s[%d] must be a mapping (category, enabled), not %s'
                             % (prefix, option, position, described(item)))
                continue
            where = '%s%s[%s]' % (prefix, option, _category_key(item) or position)
            if option == 'logs' and bool(item.get('category')) == bool(item.get('category_group')):
                found.append('%s: state either category or category_group, not both or neither' % where)
            elif option == 'metrics' and not item.get('category'):
                found.append('%s.category: required; AllMetrics for every metric' % where)
            key = str(_category_key(item)).lower()
            if key in seen:
                found.append('%s: stated twice; state each category once' % where)
            seen.add(key)
    if params.get('state', 'present') == 'present' and not items_of(params.get('logs')) \
            and not items_of(params.get('metrics')):
        found.append('%slogs: a diagnostic setting without logs or metrics sends nothing; state at least one' % prefix)
    resource = params.get('resource_id')
    if resource is not None and not str(resource).lower().startswith('/subscriptions/'):
        found.append('%sresource_id: %r is not a resource id; give /subscriptions/.../providers/...' % (prefix, resource))
    return found


def saved_search_problems(params, prefix=''):
    """A saved search: the function alias is a Kusto name, the workspace a workspace name."""
    found = []
    alias = params.get('function_alias')
    if alias is not None and not re.match(r'^[A-Za-z_][A-Za-z0-9_]*$', str(alias)):
        found.append('%sfunction_alias: %r is not a function name; use letters, digits and _' % (prefix, alias))
    return found + name_problems(prefix + 'workspace', params.get('workspace'), 'log_analytics_workspace')
