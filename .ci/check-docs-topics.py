#!/usr/bin/env python3
# Fails when a documented type has members nobody curated.
#
# DocC groups every member that no `## Topics` section lists into sections it
# generates itself ("Instance Properties", "Initializers", ...), so a new
# public member silently lands in a kind-named heap instead of the group a
# reader would look for, and `--warnings-as-errors` says nothing about it.
# This walks the render JSON of one module (what `docc convert` wrote to
# <output>/data/documentation) and fails if any symbol page (a type, or the
# module's landing page for top-level types) still has a generated topic
# section. "Default Implementations" is the exception: those are members
# inherited from conformances, which DocC lists by protocol.
#
# Usage: check-docs-topics.py <docc output directory of one module>
import json
import os
import sys

ALLOWED_GENERATED = {"Default Implementations"}


def main(argv):
    if len(argv) != 2:
        print("usage: check-docs-topics.py <docc output directory>", file=sys.stderr)
        return 2
    root = os.path.join(argv[1], "data", "documentation")
    if not os.path.isdir(root):
        print(f"error: no render JSON under {root}", file=sys.stderr)
        return 2
    problems = []
    pages = 0
    for directory, _, files in os.walk(root):
        for name in sorted(files):
            if not name.endswith(".json"):
                continue
            with open(os.path.join(directory, name), encoding="utf-8") as file:
                page = json.load(file)
            # Symbols and module pages; not articles, nor the pages that list
            # one protocol's default implementations (all generated).
            if page.get("kind") != "symbol":
                continue
            pages += 1
            for section in page.get("topicSections", []):
                if section.get("generated") and section.get("title") not in ALLOWED_GENERATED:
                    problems.append((page["identifier"]["url"], section.get("title"),
                                     section.get("identifiers", [])))
    if pages == 0:
        print(f"error: no symbol pages under {root}", file=sys.stderr)
        return 2
    for url, title, identifiers in sorted(problems):
        print(f"{url}: uncurated symbols (DocC generated \"{title}\"):")
        for identifier in identifiers:
            print(f"  {identifier}")
    if problems:
        types = len({url for url, _, _ in problems})
        print(f"error: {types} page(s) have symbols missing from their ## Topics; add members to "
              "the type's documentation extension (Sources/<Module>/<Module>.docc/Extensions/), "
              "top-level types to the module's landing page (<Module>.docc/<Module>.md)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
