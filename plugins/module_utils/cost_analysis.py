# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Monthly cost analysis against the SPEC §11 budget table, by component.

Cost Management answers a query as a table (`columns`, `rows`); each row is
mapped to one SPEC component by its resource type, else by its meter
category, so the monthly report speaks the budget table's language. The
forecast is the month to date projected linearly to the month's end: the
platform's costs are mostly hourly meters (nodes, servers, caches, gateways),
which accrue evenly over the month.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import calendar

#: the SPEC §11 budget table's lines, in its order
COMPONENTS = ('aks_nodes', 'postgresql', 'redis', 'application_gateway', 'load_balancer', 'storage', 'networking',
              'monitoring')
#: costs the budget table has no line for (Key Vault, registry, ...): reported, counted in the total
UNBUDGETED = 'other'

# resource type (lower case) -> component; AKS bills its nodes as the scale sets of its node resource group
RESOURCE_TYPES = {
    'microsoft.containerservice/managedclusters': 'aks_nodes',
    'microsoft.compute/virtualmachinescalesets': 'aks_nodes',
    'microsoft.compute/virtualmachines': 'aks_nodes',
    'microsoft.dbforpostgresql/flexibleservers': 'postgresql',
    'microsoft.cache/redis': 'redis',
    'microsoft.network/applicationgateways': 'application_gateway',
    'microsoft.network/applicationgatewaywebapplicationfirewallpolicies': 'application_gateway',
    'microsoft.network/loadbalancers': 'load_balancer',
    'microsoft.storage/storageaccounts': 'storage',
    'microsoft.compute/disks': 'storage',
    'microsoft.compute/snapshots': 'storage',
    'microsoft.network/virtualnetworks': 'networking',
    'microsoft.network/publicipaddresses': 'networking',
    'microsoft.network/privateendpoints': 'networking',
    'microsoft.network/privatednszones': 'networking',
    'microsoft.network/natgateways': 'networking',
    'microsoft.cdn/profiles': 'networking',
    'microsoft.network/frontdoorwebapplicationfirewallpolicies': 'networking',
    'microsoft.operationalinsights/workspaces': 'monitoring',
    'microsoft.insights/components': 'monitoring',
    'microsoft.insights/actiongroups': 'monitoring',
    'microsoft.insights/metricalerts': 'monitoring',
    'microsoft.insights/scheduledqueryrules': 'monitoring',
}

# meter category (lower case) -> component, for rows without a resource type (e.g. grouped by meter only)
METER_CATEGORIES = {
    'virtual machines': 'aks_nodes',
    'azure kubernetes service': 'aks_nodes',
    'azure database for postgresql': 'postgresql',
    'redis cache': 'redis',
    'application gateway': 'application_gateway',
    'load balancer': 'load_balancer',
    'storage': 'storage',
    'bandwidth': 'networking',
    'virtual network': 'networking',
    'azure dns': 'networking',
    'azure front door service': 'networking',
    'azure monitor': 'monitoring',
    'log analytics': 'monitoring',
    'application insights': 'monitoring',
}

# the cost columns Cost Management names after the aggregation's source column
COST_COLUMNS = ('Cost', 'PreTaxCost', 'CostUSD', 'PreTaxCostUSD', 'totalCost')


def component_of(resource_type, meter_category):
    """The SPEC budget line a cost row belongs to: by resource type, then by meter category, else 'other'."""
    found = RESOURCE_TYPES.get(str(resource_type or '').lower())
    return found or METER_CATEGORIES.get(str(meter_category or '').lower(), UNBUDGETED)


def records(columns, rows):
    """The query's table as one dict per row, keyed by column name."""
    names = [column['name'] for column in columns or []]
    return [dict(zip(names, row)) for row in rows or []]


def _cost(record):
    for column in COST_COLUMNS:
        if isinstance(record.get(column), (int, float)):
            return float(record[column])
    return 0.0


def costs_by_component(rows):
    """Month-to-date cost of every SPEC component (0 for one without cost) and of what has no budget line."""
    totals = dict((component, 0.0) for component in COMPONENTS + (UNBUDGETED,))
    for record in rows:
        totals[component_of(record.get('ResourceType'), record.get('MeterCategory'))] += _cost(record)
    return dict((component, round(value, 4)) for component, value in totals.items())


def forecast(month_to_date, as_of):
    """The month's cost if it goes on as it went so far (as_of: the date the costs run to, inclusive)."""
    days = calendar.monthrange(as_of.year, as_of.month)[1]
    return round(month_to_date * days / as_of.day, 2)


def budget_checks(by_component, budget, as_of, warn_percent, fail_percent):
    """procedure_report checks: each component's forecast and the total's month to date and forecast vs budget.

    budget: component -> USD a month (the inventory's table; `total` optional, else the sum). Over warn_percent
    of a budget is WARN, over fail_percent FAIL. Costs with no budget line WARN as soon as there are any.
    """
    days = calendar.monthrange(as_of.year, as_of.month)[1]
    when = 'day %d of %d' % (as_of.day, days)
    checks = []

    def limits(amount):
        return dict(warn_max=round(amount * warn_percent / 100.0, 2), max=round(amount * fail_percent / 100.0, 2))

    for component in COMPONENTS:
        spent = by_component.get(component, 0.0)
        checks.append(dict(name='cost %s forecast' % component, category='cost', measured=forecast(spent, as_of),
                           unit='USD', detail='month to date %.2f USD (%s); budget %.2f USD'
                           % (spent, when, budget.get(component, 0)), **limits(float(budget.get(component, 0)))))
    other = by_component.get(UNBUDGETED, 0.0)
    checks.append(dict(name='cost without a budget line', category='cost', measured=forecast(other, as_of),
                       unit='USD', warn_max=0,
                       detail='forecast of costs the SPEC budget table has no line for (month to date %.2f USD)' % other))
    total_budget = float(budget.get('total', sum(float(budget.get(c, 0)) for c in COMPONENTS)))
    spent = round(sum(by_component.values()), 2)
    checks.append(dict(name='cost total month to date', category='cost', measured=spent, unit='USD',
                       detail='%s; monthly budget %.2f USD' % (when, total_budget), **limits(total_budget)))
    checks.append(dict(name='cost total forecast', category='cost', measured=forecast(spent, as_of), unit='USD',
                       detail='month to date %.2f USD (%s); budget %.2f USD' % (spent, when, total_budget),
                       **limits(total_budget)))
    return checks


def budget_problems(budget, path=''):
    """Input problems of the budget table ('path.component: what; the fix')."""
    if not isinstance(budget, dict):
        return ['%sbudget: must be a mapping of SPEC component to USD a month; give one for %s'
                % (path, ', '.join(COMPONENTS))]
    problems = ['%sbudget.%s: missing; give the SPEC §11 monthly amount in USD' % (path, c) for c in COMPONENTS
                if c not in budget]
    for key, value in budget.items():
        if key not in COMPONENTS + ('total',):
            problems.append('%sbudget.%s: not a SPEC budget line; use one of %s or total'
                            % (path, key, ', '.join(COMPONENTS)))
        elif not isinstance(value, (int, float)) or isinstance(value, bool) or value < 0:
            problems.append('%sbudget.%s: %r is not an amount; give USD a month as a number >= 0' % (path, key, value))
    return problems
