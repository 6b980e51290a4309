"""tap-sdm-job: emits the rows of a finalized SDM job for target-akeneo (a push)."""

from __future__ import annotations

from functools import cached_property

from singer_sdk import Stream, Tap
from singer_sdk import typing as th

from sdm_transform.job_tap.reader import JobFileError, JobReader, job_file
from sdm_transform.job_tap.streams import ProductModelsStream, ProductsStream, RowErrorsStream
from sdm_transform.job_tap.writer import FastSingerWriter


class TapSdmJob(Tap):
    """Reads ``<workspace>/jobs/<job_id>/export.jsonl``, one record per line."""

    name = "tap-sdm-job"
    message_writer_class = FastSingerWriter  # orjson; same JSON values as the SDK's writer
    config_jsonschema = th.PropertiesList(
        th.Property(
            "workspace",
            th.StringType(nullable=False),
            required=True,
            title="Workspace",
            description="SDM workspace folder (holds project.json and jobs/)",
        ),
        th.Property(
            "job_id",
            th.StringType(nullable=False),
            required=True,
            title="Job id",
            description="finalized job to read: jobs/<job_id>/export.jsonl",
        ),
    ).to_dict()

    @cached_property
    def job_reader(self) -> JobReader:
        """The one reader shared by the three streams (the file is scanned once)."""
        try:
            reader = JobReader(job_file(self.config["workspace"], self.config["job_id"]))
            reader.check()
        except JobFileError as exc:
            # One clear line instead of a traceback: nothing can be read.
            self.logger.error("%s", exc)
            raise SystemExit(1) from None
        return reader

    def discover_streams(self) -> list[Stream]:
        """Models first, so a target knows every model before the variants that use it."""
        return [ProductModelsStream(self), ProductsStream(self), RowErrorsStream(self)]


if __name__ == "__main__":
    TapSdmJob.cli()
