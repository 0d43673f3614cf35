#!/usr/bin/env python3
"""Generate the model subset pcinbox embeds from botocore's full service model.

The subset keeps the metadata, the operations pcinbox calls and every shape reachable from
them (inputs, outputs, errors), with documentation stripped; the project never reads the full
model when it builds, runs or tests. Regenerate after adding an operation:

    python3 assets/generate-shapes.py /path/to/partnercentral-selling-2022-07-26.service.json

`--check` compares instead of writing and exits 1 when the committed subset differs.
"""

import argparse
import json
import sys
from pathlib import Path

# The operations pcinbox calls, in the order the subset lists them.
OPERATIONS = [
    "ListEngagementInvitations",
    "GetEngagementInvitation",
    "CreateEngagementInvitation",
    "AcceptEngagementInvitation",
    "RejectEngagementInvitation",
    "ListEngagementMembers",
    "StartEngagementByAcceptingInvitationTask",
    "ListEngagementByAcceptingInvitationTasks",
    "GetEngagement",
    "ListEngagements",
    "GetOpportunity",
]

SOURCE = (
    "Subset of botocore's partnercentral-selling 2022-07-26 service model (Apache-2.0): "
    "the shapes reachable from the {} operations pcinbox uses, documentation stripped."
)

OUTPUT = Path(__file__).resolve().parent / "partnercentral-selling-2022-07-26.shapes.json"

def without_docs(value):
    """`value` with every documentation string removed."""
    if isinstance(value, dict):
        return {k: without_docs(v) for k, v in value.items() if k not in ("documentation", "documentationUrl")}
    if isinstance(value, list):
        return [without_docs(v) for v in value]
    return value


def referenced(shape):
    """The shape names one shape refers to."""
    for key in ("member", "key", "value"):
        if key in shape:
            yield shape[key]["shape"]
    for member in shape.get("members", {}).values():
        yield member["shape"]


def subset(model):
    operations = {}
    wanted = []
    for name in OPERATIONS:
        operation = without_docs(model["operations"][name])
        operation.pop("name", None)
        operations[name] = operation
        for key in ("input", "output"):
            if key in operation:
                wanted.append(operation[key]["shape"])
        wanted.extend(error["shape"] for error in operation.get("errors", []))
    shapes = {}
    while wanted:
        name = wanted.pop()
        if name in shapes:
            continue
        shapes[name] = without_docs(model["shapes"][name])
        wanted.extend(referenced(shapes[name]))
    return {
        "_source": SOURCE.format(number_word(len(OPERATIONS))),
        "metadata": dict(sorted(model["metadata"].items())),
        "operations": operations,
        "shapes": dict(sorted(shapes.items())),
    }


def number_word(n):
    words = "zero one two three four five six seven eight nine ten eleven twelve".split()
    return words[n] if n < len(words) else str(n)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model", help="botocore's full service model (service-2.json)")
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    args = parser.parse_args()
    with open(args.model, encoding="utf-8") as f:
        model = json.load(f)
    # No trailing newline: the committed subset has always been written this way.
    text = json.dumps(subset(model), indent=1, ensure_ascii=False)
    if args.check:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
        if current != text:
            print(f"{OUTPUT.name} differs from what the model generates", file=sys.stderr)
            return 1
        return 0
    OUTPUT.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
