# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""An in-memory ARM collection behind SDK-shaped operation groups, for module unit tests.

Items are kept in REST form and handed out as the SDK's own models (msrest or
TypeSpec), so the modules' `to_rest` path is exercised; every write is recorded.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
from unittest import mock

from azure.core.exceptions import ResourceNotFoundError

SUB = '00000000-0000-0000-0000-000000000001'
TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47'
AUTH = dict(subscription_id=SUB, client_id='app', secret='very-secret-value', tenant=TENANT)


def as_model(model_class, rest):
    """The REST document as the SDK model Azure's answer would be deserialized to."""
    if rest is None or model_class is None:
        return copy.deepcopy(rest)
    if hasattr(model_class, '_attribute_map'):
        return model_class.deserialize(copy.deepcopy(rest))
    return model_class(copy.deepcopy(rest))


def poller(result):
    return mock.Mock(polling_method=mock.Mock(), wait=mock.Mock(), done=lambda: True, result=lambda: result)


def _key(parts):
    return tuple(str(p).lower() for p in parts)


class Collection:
    """Resources of one type, keyed by their path parts (group, name, child name...).

    fill(key, body, previous) returns the stored REST document, as the service would complete it.
    """

    def __init__(self, model_class, fill, lro=False):
        self.model_class = model_class
        self.fill = fill
        self.lro = lro
        self.items = {}
        self.writes = []

    def seed(self, key, rest):
        self.items[_key(key)] = copy.deepcopy(rest)

    def get(self, *key):
        if _key(key) not in self.items:
            raise ResourceNotFoundError('The Resource %r was not found.' % '/'.join(key))
        return as_model(self.model_class, self.items[_key(key)])

    def put(self, key, body):
        body = body if isinstance(body, dict) else body.as_dict()
        self.writes.append(('put', key, copy.deepcopy(body)))
        stored = self.fill(key, copy.deepcopy(body), copy.deepcopy(self.items.get(_key(key))))
        self.items[_key(key)] = stored
        result = as_model(self.model_class, stored)
        return poller(result) if self.lro else result

    def delete(self, key):
        self.writes.append(('delete', key))
        self.items.pop(_key(key), None)
        return poller(None) if self.lro else None

    def under(self, *prefix):
        return [as_model(self.model_class, rest) for key, rest in sorted(self.items.items())
                if key[:len(prefix)] == _key(prefix)]


class Operations:
    """An SDK operation group: names its methods after the SDK's, over a Collection.

    names maps SDK method names to 'get', 'put', 'delete' or 'list'; `arity` is the number of
    key parts of one resource.
    """

    def __init__(self, collection, arity, **names):
        self.collection = collection
        self.arity = arity
        self.names = names

    def __getattr__(self, name):
        kind = self.names.get(name)
        if kind is None:
            raise AttributeError(name)
        collection, arity = self.collection, self.arity
        if kind == 'get':
            return collection.get
        if kind == 'put':
            return lambda *args, **kwargs: collection.put(args[:arity], args[arity])
        if kind == 'delete':
            return lambda *args, **kwargs: collection.delete(args[:arity])
        return lambda *args, **kwargs: iter(collection.under(*args))


def client_factory(clients):
    """A replacement for AzureModule.client returning fakes by service name."""
    def client(self, name):  # pylint: disable=unused-argument
        return clients[name]
    return client
