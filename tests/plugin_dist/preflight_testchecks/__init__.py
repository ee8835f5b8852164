"""Check types for preflight's tests, installed as a third-party distribution would be (a dist-info with
entry points on sys.path)."""
