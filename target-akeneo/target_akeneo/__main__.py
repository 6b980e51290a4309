"""Run target-akeneo with ``python -m target_akeneo``."""

from target_akeneo.target import TargetAkeneo

TargetAkeneo.cli()
