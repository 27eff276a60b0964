# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Values a check-mode run cannot know: they come from resources that check mode did not create.

A cluster that check mode only predicts has no OIDC issuer URL and no kubelet identity, and a
registry it only predicts has no id. A module that takes such a value lets the task list the
option in `unknown` instead of giving a value. Check mode then predicts the change without the
value and writes nothing, as always. A real run refuses any unknown value before it calls Azure,
so nothing is ever written from a guess, and real runs are validated as strictly as before.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


def unknown_spec(choices):
    """The `unknown` option of a module whose options `choices` may be unknown in check mode."""
    return dict(unknown=dict(type='list', elements='str', choices=list(choices), default=[]))


def unknown_problems(params, check_mode, required=()):
    """'option: what is wrong; the fix' lines about the `unknown` option and the options it may name.

    `required` are options that need a value unless they are unknown (in check mode).
    """
    unknown = params.get('unknown') or []
    problems = []
    for option in unknown:
        if not check_mode:
            problems.append('%s: is unknown (listed in unknown), which only check mode accepts; a real run needs its '
                            'value: create what it comes from first, then give %s' % (option, option))
        elif params.get(option) not in (None, ''):
            problems.append('unknown: lists %s, which is given (%r); give the value or list it as unknown, '
                            'not both' % (option, params[option]))
    problems.extend('%s: required; give it (in check mode, list it in unknown when it comes from a resource '
                    'not created yet)' % option
                    for option in required if params.get(option) in (None, '') and option not in unknown)
    return problems


#: how a predicted resource, its differences and its --diff show a value check mode cannot know
UNKNOWN = '(known after a real run)'


def _put(document, keys, value):
    for key in keys[:-1]:
        document = document.setdefault(key, {})
    document[keys[-1]] = value


def predicted(result, current, paths):
    """The check-mode result of reconcile with each unknown value shown as UNKNOWN at its REST path.

    An unknown value comes from a resource the real run creates first, so it differs from anything
    that exists now (a new cluster has a new OIDC issuer URL): the change is predicted, never hidden.
    """
    for path in paths:
        keys = path.split('.')
        # a difference that adds the whole parent (a resource to create) shows the value inside it
        parent = next((d for d in result['differences']
                       if path.startswith(d['path'] + '.') and isinstance(d['after'], dict)), None)
        if parent is not None:
            _put(parent['after'], path[len(parent['path']) + 1:].split('.'), UNKNOWN)
        else:
            before = current
            for key in keys:
                before = before.get(key) if isinstance(before, dict) else None
            result['differences'].append(dict(path=path, before=before, after=UNKNOWN))
        for document in (result['resource'], result.get('diff', {}).get('after')):
            if document is not None:
                _put(document, keys, UNKNOWN)
    result['changed'] = result['changed'] or bool(paths)
    return result
