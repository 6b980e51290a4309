"""Run tap-akeneo with ``python -m tap_akeneo``."""

from tap_akeneo.tap import TapAkeneo

TapAkeneo.cli()
