# -*- coding: utf-8 -*-
"""Cost of the comparison engine against a plain deep equality of the same documents.

The engine does more than `==` (rules per path, named sets, normalisation),
so it must stay within a small factor of it on realistic sizes: an NSG with
many rules and a VNet with many subnets. Printed as ratios to the baseline
measured in the same run, since these machines are noisy.

    PYTHONPATH=<dir holding ansible_collections> python benchmarks/bench_compare.py
"""

import copy
import timeit

from ansible_collections.phonebill.platform.plugins.module_utils import compare


def nsg(rules):
    actual = {'location': 'koreacentral', 'tags': {'service': 'phonebill'}, 'properties': {
        'provisioningState': 'Succeeded',
        'securityRules': [{'name': 'rule-%03d' % i, 'id': '/subscriptions/s/x/securityRules/rule-%03d' % i,
                           'properties': {'priority': 100 + i, 'direction': 'Inbound', 'access': 'Allow',
                                          'protocol': 'Tcp', 'sourceAddressPrefix': '10.%d.0.0/24' % (i % 250),
                                          'destinationPortRanges': ['443', '80'], 'provisioningState': 'Succeeded'}}
                          for i in range(rules)]}}
    desired = {'location': 'Korea Central', 'tags': {'service': 'phonebill'}, 'properties': {
        'securityRules': [{'name': 'rule-%03d' % i, 'properties': {
            'priority': 100 + i, 'direction': 'Inbound', 'access': 'Allow', 'protocol': 'Tcp',
            'sourceAddressPrefix': '10.%d.0.0/24' % (i % 250), 'destinationPortRanges': ['80', '443']}}
            for i in reversed(range(rules))]}}
    return desired, actual


RULES = {'location': compare.LOCATION,
         'properties.securityRules[].properties.sourceAddressPrefix': compare.CIDR,
         'properties.securityRules[].properties.direction': compare.IGNORE_CASE}


def main():
    print('%-28s %12s %12s %8s' % ('case', 'baseline µs', 'engine µs', 'ratio'))
    for size in (10, 100, 500):
        desired, actual = nsg(size)
        twin = copy.deepcopy(actual)
        comparator = compare.Comparator(RULES)
        assert comparator.differences(desired, actual) == []
        runs = max(20, 2000 // size)
        baseline = min(timeit.repeat(lambda: twin == actual, number=runs, repeat=5)) / runs
        engine = min(timeit.repeat(lambda: comparator.differences(desired, actual), number=runs, repeat=5)) / runs
        merge = min(timeit.repeat(lambda: comparator.merge(desired, actual), number=runs, repeat=5)) / runs
        print('%-28s %12.1f %12.1f %7.1fx' % ('nsg %d rules: differences' % size, baseline * 1e6, engine * 1e6,
                                               engine / baseline))
        print('%-28s %12.1f %12.1f %7.1fx' % ('nsg %d rules: merge' % size, baseline * 1e6, merge * 1e6,
                                               merge / baseline))


if __name__ == '__main__':
    main()
