#!/usr/bin/env python3
"""yaml_equals_json.py TEMPLATE.yaml TEMPLATE.json: exit 0 when the YAML,
read as CloudFormation reads it (short-form !Ref, !GetAtt A.B, !Sub ...),
is the same document as the JSON; else print the first difference."""
import json
import sys

import yaml


class CfnLoader(yaml.SafeLoader):
    pass


def intrinsic(loader, suffix, node):
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    if suffix in ("Ref", "Condition"):
        return {suffix: value}
    if suffix == "GetAtt" and isinstance(value, str):
        value = value.split(".", 1)
    return {"Fn::" + suffix: value}


CfnLoader.add_multi_constructor("!", intrinsic)


def first_difference(a, b, path="$"):
    if type(a) is not type(b):
        return f"{path}: {a!r} (YAML) vs {b!r} (JSON)"
    if isinstance(a, dict):
        if list(a) != list(b):
            return f"{path}: keys {list(a)} vs {list(b)}"
        for k in a:
            d = first_difference(a[k], b[k], f"{path}.{k}")
            if d:
                return d
    elif isinstance(a, list):
        if len(a) != len(b):
            return f"{path}: {len(a)} items vs {len(b)}"
        for i, (x, y) in enumerate(zip(a, b)):
            d = first_difference(x, y, f"{path}[{i}]")
            if d:
                return d
    elif a != b:
        return f"{path}: {a!r} (YAML) vs {b!r} (JSON)"
    return None


with open(sys.argv[1]) as y, open(sys.argv[2]) as j:
    difference = first_difference(yaml.load(y, Loader=CfnLoader), json.load(j))
if difference:
    print(f"{sys.argv[1]} differs from {sys.argv[2]}: {difference}")
    sys.exit(1)
