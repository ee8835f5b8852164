"""preflight: rollout safety checks that block a deploy whose image, migrations or database are unsafe."""

__version__ = "0.1.0"
