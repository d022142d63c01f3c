#!/usr/bin/env python3
"""Reads the Prometheus text format on stdin with the Prometheus Python client's own parser
(Debian's python3-prometheus-client) and prints every family and sample as JSON, for PrometheusText."""
import json
import math
import sys

from prometheus_client.parser import text_string_to_metric_families


def number(value):
    return value if math.isfinite(value) else str(value)


families = []
for family in text_string_to_metric_families(sys.stdin.read()):
    families.append({
        "name": family.name,
        "type": family.type,
        "samples": [{"name": s.name, "labels": s.labels, "value": number(s.value)} for s in family.samples],
    })
json.dump(families, sys.stdout)
