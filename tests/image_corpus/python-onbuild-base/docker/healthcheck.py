#!/usr/bin/env python3
"""Exit 0 when the service answers on its health port."""

import sys
import urllib.request

try:
    urllib.request.urlopen("http://127.0.0.1:8000/health", timeout=2)
except OSError:
    sys.exit(1)
