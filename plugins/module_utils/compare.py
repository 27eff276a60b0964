# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Desired (what the inventory states) against actual (what Azure returns).

Both sides are REST-form documents (camelCase keys, `properties` nested), the
form Azure documents and returns. Only what the desired side states is
compared; anything the server fills in is ignored unless the user states it.
Per-path rules say how to compare a value (case, resource ids, locations,
CIDRs) and how to treat lists (sets, named sets, ordered). Every difference
is reported, not the first; and the update body is the actual resource with
the stated changes merged in, so a full PUT resets nothing set elsewhere.

Paths are dotted, `[]` standing for "any item of this list":
`properties.subnets[].properties.addressPrefix`.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import ipaddress
import json

MASK = '********'


class Rule:
    """Exact comparison of scalars; the base of every other rule."""

    def normalize(self, value):
        return value

    def equal(self, desired, actual):
        return self.normalize(desired) == self.normalize(actual)


class IgnoreCase(Rule):
    """Enum values and names Azure returns in another case ("Premium" / "premium")."""

    def normalize(self, value):
        return value.lower() if isinstance(value, str) else value


class ResourceId(Rule):
    """Resource ids: Azure lower-cases some segments and may add or drop a trailing slash."""

    def normalize(self, value):
        return value.lower().rstrip('/') if isinstance(value, str) else value


class Location(Rule):
    """"Korea Central" and "koreacentral" name one region."""

    def normalize(self, value):
        return value.replace(' ', '').lower() if isinstance(value, str) else value


class Cidr(Rule):
    """An address and its single-host prefix are one thing ("1.2.3.4" / "1.2.3.4/32")."""

    def normalize(self, value):
        if not isinstance(value, str):
            return value
        try:
            return str(ipaddress.ip_network(value, strict=False))
        except ValueError:
            return value


class Mapping(Rule):
    """A dict whose keys the user states; with purge, keys the user did not state are removed."""

    def __init__(self, purge=False):
        self.purge = purge


class Set(Rule):
    """A list of scalars whose order has no meaning (zones, address prefixes, ports, taints).

    With purge (the default) the list must be exactly the stated items; without
    it, items found in Azure are kept and only missing ones count.
    """

    def __init__(self, item=None, purge=True):
        self.item = item or Rule()
        self.purge = purge

    def normalize(self, value):
        return sorted(set(str(self.item.normalize(v)) for v in value or []))

    def target(self, desired, actual):
        """The list as it should be: the stated items, plus Azure's own without purge."""
        merged = [] if self.purge else list(actual or [])
        seen = set(str(self.item.normalize(v)) for v in merged)
        for value in desired:
            if str(self.item.normalize(value)) not in seen:
                merged.append(value)
                seen.add(str(self.item.normalize(value)))
        return merged

    def equal(self, desired, actual):
        return self.normalize(self.target(desired, actual)) == self.normalize(actual)


class Number(Rule):
    """Numbers Azure returns as floats (5 / 5.0)."""

    def normalize(self, value):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return value
        return float(value)


class JsonText(Rule):
    """A string holding a JSON document (a workbook's serializedData): equal when the documents are.

    Azure stores the text as sent, but another client (the portal) writes the
    same document with other spacing and key order; only a change of content
    is a difference. Text that is not JSON compares as text.
    """

    def normalize(self, value):
        if not isinstance(value, str):
            return value
        try:
            return json.loads(value)
        except ValueError:
            return value


class Ordered(Rule):
    """A list whose order matters (DNS servers, rule priorities by position)."""


def item_name(item):
    """The name of a list item, or the last segment of its id when Azure returns none.

    Azure returns some embedded children with an id and no name (the
    privateLinkServiceConnections of Microsoft's PrivateEndpointGet example).
    """
    item = item if isinstance(item, dict) else {}
    if item.get('name') is None and isinstance(item.get('id'), str):
        return item['id'].rstrip('/').rsplit('/', 1)[-1]
    return item.get('name')


class NamedSet(Rule):
    """A list of objects identified by a key (subnets, rules, pools) compared as a set.

    Items are matched by key, never by position; the default key, the name,
    falls back to the last segment of the item's id. Extra items in Azure are
    kept unless purge is on, then they are reported and removed; items keyed in
    `absent` are reported and removed even without purge (an item the user
    states must not exist, e.g. a WAF rule whose match list became empty).
    """

    def __init__(self, key='name', purge=False, key_rule=None, absent=()):
        self.key = key
        self.purge = purge
        self.key_rule = key_rule or IgnoreCase()
        self.absent = set(self.key_rule.normalize(key) for key in absent)

    def removes(self, key, wanted):
        """Whether an item of Azure with this (normalised) key goes from the merged list."""
        return key not in wanted and (self.purge or key in self.absent)

    def key_of(self, item):
        """The item's key as stated or returned (its name from its id when Azure gives none)."""
        if self.key == 'name':
            return item_name(item)
        return (item or {}).get(self.key)

    def index(self, items):
        return dict((self.key_rule.normalize(self.key_of(item)), item) for item in items or [])


EXACT = Rule()
IGNORE_CASE = IgnoreCase()
RESOURCE_ID = ResourceId()
LOCATION = Location()
CIDR = Cidr()
NUMBER = Number()
JSON_TEXT = JsonText()


class Difference:
    """One path that differs: what Azure has (before) and what the inventory states (after)."""

    def __init__(self, path, before, after):
        self.path = path
        self.before = before
        self.after = after

    def as_dict(self):
        return dict(path=self.path, before=self.before, after=self.after)


def _join(path, key):
    return '%s.%s' % (path, key) if path else key


def _default_list_rule(items):
    """How a list without a rule compares: by name when every stated item is named.

    The named set then finds Azure's items by name or by the last segment of
    their id. Lists of bare references ({id}) stay ordered: matched by leaf
    name, two ids with one name in different groups would collapse, and a
    stated list of references is meant exactly.
    """
    if items and all(isinstance(i, dict) and i.get('name') is not None for i in items):
        return NamedSet('name')
    if all(not isinstance(i, (dict, list)) for i in items):
        return Set()
    return Ordered()


class Comparator:
    """Compares and merges REST documents under per-path rules.

    rules maps a path to a Rule; secrets lists paths whose values never
    appear in a difference or a diff.
    """

    def __init__(self, rules=None, secrets=()):
        self.rules = dict(rules or {})
        self.secrets = tuple(secrets)

    def _rule(self, path, default=None):
        return self.rules.get(path, default)

    # ---- comparison ----
    def differences(self, desired, actual):
        """Every path where actual does not match what desired states, secrets masked."""
        found = []
        self._compare(desired, actual, '', '', found)
        return [self._masked(d) for d in found]

    def _compare(self, desired, actual, path, shown, found):
        if desired is None:
            return
        rule = self._rule(path)
        if isinstance(desired, dict) and (rule is None or isinstance(rule, Mapping)):
            if not isinstance(actual, dict):
                found.append(Difference(shown, actual, desired))
                return
            for key, value in desired.items():
                self._compare(value, actual.get(key), _join(path, key), _join(shown, key), found)
            if isinstance(rule, Mapping) and rule.purge:
                for key in sorted(set(actual) - set(desired)):
                    found.append(Difference(_join(shown, key), actual[key], None))
            return
        if isinstance(desired, list):
            rule = rule if isinstance(rule, (Set, Ordered, NamedSet)) else _default_list_rule(desired)
            if isinstance(rule, NamedSet):
                self._compare_named(rule, desired, actual, path, shown, found)
            elif isinstance(rule, Ordered):
                self._compare_ordered(desired, actual, path, shown, found)
            elif not rule.equal(desired, actual):
                found.append(Difference(shown, actual, rule.target(desired, actual)))
            return
        if not (rule or EXACT).equal(desired, actual):
            found.append(Difference(shown, actual, desired))

    def _compare_named(self, rule, desired, actual, path, shown, found):
        current = rule.index(actual if isinstance(actual, list) else [])
        wanted = rule.index(desired)
        for key, item in wanted.items():
            label = '%s[%s]' % (shown, rule.key_of(item))
            if key not in current:
                found.append(Difference(label, None, item))
            else:
                stated = dict((k, v) for k, v in item.items() if k != rule.key)
                self._compare(stated, current[key], path + '[]', label, found)
        for key in sorted(set(current) - set(wanted), key=str):
            if rule.removes(key, wanted):
                found.append(Difference('%s[%s]' % (shown, rule.key_of(current[key])), current[key], None))

    def _compare_ordered(self, desired, actual, path, shown, found):
        if not isinstance(actual, list) or len(actual) != len(desired):
            found.append(Difference(shown, actual, desired))
            return
        probe = []
        for position, (want, have) in enumerate(zip(desired, actual)):
            self._compare(want, have, path + '[]', '%s[%d]' % (shown, position), probe)
        if probe:
            found.append(Difference(shown, actual, desired))

    # ---- merging ----
    def merge(self, desired, actual):
        """The update body: actual with everything desired states applied to it."""
        return self._merge(desired, actual, '')

    def _merge(self, desired, actual, path):
        if desired is None:
            return copy.deepcopy(actual)
        rule = self._rule(path)
        if isinstance(desired, dict) and isinstance(actual, dict) and (rule is None or isinstance(rule, Mapping)):
            merged = {} if isinstance(rule, Mapping) and rule.purge else copy.deepcopy(actual)
            for key, value in desired.items():
                if value is not None:
                    merged[key] = self._merge(value, actual.get(key), _join(path, key))
            return merged
        if isinstance(desired, list) and isinstance(actual, list):
            rule = rule if isinstance(rule, (Set, Ordered, NamedSet)) else _default_list_rule(desired)
            if isinstance(rule, NamedSet):
                return self._merge_named(rule, desired, actual, path)
            if isinstance(rule, Set):
                return copy.deepcopy(rule.target(desired, actual))
        return copy.deepcopy(desired)

    def _merge_named(self, rule, desired, actual, path):
        wanted = rule.index(desired)
        merged, seen = [], set()
        for item in actual:
            key = rule.key_rule.normalize(rule.key_of(item))
            if key in wanted:
                merged.append(self._merge(wanted[key], item, path + '[]'))
                seen.add(key)
            elif not rule.removes(key, wanted):
                merged.append(copy.deepcopy(item))
        merged.extend(copy.deepcopy(item) for key, item in wanted.items() if key not in seen)
        return merged

    # ---- secrets ----
    def _is_secret(self, path):
        generic = generic_path(path)
        return any(generic == s or generic.startswith(s + '.') for s in self.secrets)

    def _masked(self, difference):
        if self._is_secret(difference.path):
            return Difference(difference.path, MASK if difference.before is not None else None,
                              MASK if difference.after is not None else None)
        return Difference(difference.path, self.mask(difference.before, difference.path),
                          self.mask(difference.after, difference.path))

    def mask(self, document, path=''):
        """A copy of document with every secret path's value replaced by a mask."""
        if document is None:
            return None
        if self._is_secret(path):
            return MASK
        if isinstance(document, dict):
            return dict((k, self.mask(v, _join(path, k))) for k, v in document.items())
        if isinstance(document, list):
            return [self.mask(v, path + '[]') for v in document]
        return document


def generic_path(path):
    """'a[x].b[0].c' -> 'a[].b[].c': the rule path of a shown path."""
    out, depth = [], 0
    for char in path:
        if char == '[':
            depth += 1
            if depth == 1:
                out.append('[]')
            continue
        if char == ']':
            depth -= 1
            continue
        if depth == 0:
            out.append(char)
    return ''.join(out)


def prune(document):
    """A copy without unstated (None) values and the empty objects they leave.

    TypeSpec-generation SDKs send a dict body as it is, so a None would reach
    Azure as an explicit null and reset the field.
    """
    if isinstance(document, dict):
        pruned = {}
        for key, value in document.items():
            value = prune(value)
            if value is None or value == {}:
                continue
            pruned[key] = value
        return pruned
    if isinstance(document, list):
        return [prune(item) for item in document]
    return document


def strip(document, paths):
    """A copy of document without the given dotted paths (read-only fields).

    A dict left empty by the removal goes too, so no `properties: {}` is sent.
    """
    result = copy.deepcopy(document)
    for path in paths:
        keys = path.split('.')
        trail = [result]
        for key in keys[:-1]:
            node = trail[-1].get(key) if isinstance(trail[-1], dict) else None
            trail.append(node)
        if not isinstance(trail[-1], dict) or keys[-1] not in trail[-1]:
            continue
        trail[-1].pop(keys[-1])
        for depth in range(len(trail) - 1, 0, -1):
            if trail[depth] == {}:
                trail[depth - 1].pop(keys[depth - 1])
    return result
