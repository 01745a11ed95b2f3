#!/usr/bin/env python3
"""Validates GraphQL documents against an introspection schema (Railway's, in ../shared/platforms).

usage: validate-graphql.py SCHEMA.json DOCUMENTS.json
DOCUMENTS.json is a JSON object {name: document}. Prints one line per problem.
Exit 0: all valid; 1: some invalid; 3: graphql-core is not installed (pip install graphql-core).
"""
import json
import sys

try:
    from graphql import build_client_schema, parse, validate
except ImportError:
    print("graphql-core is not installed (pip install graphql-core)")
    sys.exit(3)


def main():
    schema_path, docs_path = sys.argv[1], sys.argv[2]
    with open(schema_path) as f:
        raw = json.load(f)
    schema = build_client_schema(raw.get("data", raw))
    with open(docs_path) as f:
        docs = json.load(f)
    bad = 0
    for name, text in sorted(docs.items()):
        try:
            errors = validate(schema, parse(text))
        except Exception as e:  # a syntax error
            errors = [e]
        for e in errors:
            bad += 1
            print(f"{name}: {getattr(e, 'message', e)}")
    print(f"{len(docs)} document(s), {bad} problem(s)")
    sys.exit(1 if bad else 0)


main()
