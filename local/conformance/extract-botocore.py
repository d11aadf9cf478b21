"""Reads the service models the stand-ins are held to out of a botocore wheel.

    python3 extract-botocore.py WHEEL OUT_DIR service/version ...

Writes OUT_DIR/<service>.json: botocore's service-2.json of that service with its documentation
strings dropped (they are most of the bytes and no rule reads them).
"""
import gzip
import json
import os
import sys
import zipfile


def strip_docs(node):
    if isinstance(node, dict):
        return {k: strip_docs(v) for k, v in node.items() if k != "documentation"}
    if isinstance(node, list):
        return [strip_docs(v) for v in node]
    return node


def main():
    wheel, out_dir, services = sys.argv[1], sys.argv[2], sys.argv[3:]
    os.makedirs(out_dir, exist_ok=True)
    with zipfile.ZipFile(wheel) as z:
        for spec in services:
            service, version = spec.split("/")
            name = f"botocore/data/{service}/{version}/service-2.json.gz"
            model = strip_docs(json.loads(gzip.decompress(z.read(name))))
            tmp = os.path.join(out_dir, f".{service}.json.{os.getpid()}")
            with open(tmp, "w") as f:
                json.dump(model, f)
            os.replace(tmp, os.path.join(out_dir, f"{service}.json"))


main()
