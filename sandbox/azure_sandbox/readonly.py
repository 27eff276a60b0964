"""Field visibility derived from the Azure SDK's generated models.

ARM ignores read-only properties a client sends and never echoes write-only
ones (passwords).  Rather than listing them by hand, we walk the SDK model
for a resource type and build a tree ``{rest_name: Node}`` that mirrors the
JSON body.  Two generator styles exist in the installed SDKs:

* TypeSpec (``_utils.model_base.Model``): ``rest_field(name=..., visibility=[...])``
  class attributes; nested model classes appear in the annotations.
* msrest (``msrest.serialization.Model``): ``_attribute_map[attr]['key']`` is a
  dotted (flattened) JSON path and ``_validation[attr]['readonly']`` marks it.
"""

import importlib
import re
from dataclasses import dataclass, field
from functools import lru_cache


@dataclass
class Node:
    readonly: bool = False
    writeonly: bool = False
    children: dict = field(default_factory=dict)  # sub-tree for nested models
    is_map: bool = False  # value is {key: model}


_MODEL_REF = re.compile(r"_models\.(\w+)")
_MSREST_TYPE = re.compile(r"^[\[{]?(\w+)[\]}]?$")


def _models_module(cls):
    pkg = cls.__module__.rsplit(".models", 1)[0] + ".models"
    return importlib.import_module(pkg)


def _typespec_tree(cls, cache) -> dict:
    if cls in cache:
        return cache[cls]
    tree: dict = {}
    cache[cls] = tree  # registered before filling: recursive models share it
    models = _models_module(cls)
    annotations = {}
    for klass in reversed(cls.__mro__):
        annotations.update(getattr(klass, "__annotations__", {}) or {})
        for attr, rf in vars(klass).items():
            if attr.startswith("_") or not hasattr(rf, "_visibility") or not hasattr(rf, "_rest_name_input"):
                continue
            name = rf._rest_name_input or attr
            vis = rf._visibility
            node = Node(readonly=vis == ["read"], writeonly=bool(vis) and "read" not in vis)
            ann = str(annotations.get(attr, ""))
            ref = _MODEL_REF.search(ann)
            if ref and hasattr(models, ref.group(1)):
                node.is_map = "dict[" in ann.lower()
                node.children = _typespec_tree(getattr(models, ref.group(1)), cache)
            tree[name] = node
    return tree


def _split_key(key: str) -> list:
    return [p.replace("\\.", ".") for p in re.split(r"(?<!\\)\.", key)]


def _msrest_tree(cls, cache) -> dict:
    if cls in cache:
        return cache[cls]
    tree: dict = {}
    cache[cls] = tree
    models = _models_module(cls)
    validation = getattr(cls, "_validation", {}) or {}
    for attr, spec in (getattr(cls, "_attribute_map", {}) or {}).items():
        parts = _split_key(spec["key"])
        cur = tree
        for part in parts[:-1]:
            cur = cur.setdefault(part, Node()).children
        node = cur.setdefault(parts[-1], Node())
        node.readonly = bool(validation.get(attr, {}).get("readonly"))
        typ = spec.get("type", "")
        m = _MSREST_TYPE.match(typ)
        if m and hasattr(models, m.group(1)) and isinstance(getattr(models, m.group(1)), type):
            node.is_map = typ.startswith("{")
            node.children = _msrest_tree(getattr(models, m.group(1)), cache)
    return tree


@lru_cache(maxsize=None)
def visibility_tree(model_ref: str | None) -> dict:
    """Tree for ``"package.models:ClassName"``; empty if unknown/uninstalled."""
    if not model_ref:
        return {}
    module, _, name = model_ref.partition(":")
    try:
        cls = getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        return {}
    if hasattr(cls, "_attribute_map"):
        return _msrest_tree(cls, {})
    return _typespec_tree(cls, {})


def _strip(body, tree: dict, flag: str):
    if isinstance(body, list):
        return [_strip(item, tree, flag) for item in body]
    if not isinstance(body, dict) or not tree:
        return body
    out = {}
    for key, value in body.items():
        node = tree.get(key)
        if node is None:
            out[key] = value
        elif getattr(node, flag):
            continue
        elif node.is_map and isinstance(value, dict):
            out[key] = {k: _strip(v, node.children, flag) for k, v in value.items()}
        else:
            out[key] = _strip(value, node.children, flag)
    return out


def strip_readonly(body, model_ref: str | None):
    """Drop fields the client may not set (ARM silently ignores them)."""
    return _strip(body, visibility_tree(model_ref), "readonly")


def strip_writeonly(body, model_ref: str | None):
    """Drop secrets ARM accepts but never returns (e.g. administrator passwords)."""
    return _strip(body, visibility_tree(model_ref), "writeonly")


def has_field(model_ref: str | None, dotted: str) -> bool:
    tree = visibility_tree(model_ref)
    for part in dotted.split("."):
        node = tree.get(part)
        if node is None:
            return False
        tree = node.children
    return True


__all__ = ["visibility_tree", "strip_readonly", "strip_writeonly", "has_field"]
