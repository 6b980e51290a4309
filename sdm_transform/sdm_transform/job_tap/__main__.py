"""Run tap-sdm-job with ``python -m sdm_transform.job_tap``."""

from sdm_transform.job_tap.tap import TapSdmJob

TapSdmJob.cli()
