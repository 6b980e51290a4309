"""target-akeneo: pushes a finalized SDM job (``tap-sdm-job`` output) into an Akeneo PIM."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from akeneo_client import client_from_config, with_connection_settings
from singer_sdk import Target
from singer_sdk import typing as th
from singer_sdk.mapper import SameRecordTransform

from target_akeneo.messages import FastSingerReader
from target_akeneo.project import ProjectError, load_project
from target_akeneo.push import Push
from target_akeneo.sinks import JOB_STREAMS, IgnoredStreamSink, JobRowSink
from target_akeneo.state import PushSettings

if TYPE_CHECKING:
    from singer_sdk.sinks import Sink

MAX_BATCH = 100


class TargetAkeneo(Target):
    """Singer target: job rows in, products, models, options, assets and media in the PIM."""

    name = "target-akeneo"
    default_sink_class = JobRowSink
    config_jsonschema = with_connection_settings(
        th.PropertiesList(
            th.Property(
                "workspace",
                th.StringType(nullable=False),
                required=True,
                description="SDM workspace folder (project.json and jobs/)",
            ),
            th.Property(
                "job_id",
                th.StringType(nullable=False),
                required=True,
                description="The finalized job pushed: jobs/<job_id>/",
            ),
            th.Property(
                "batch_size",
                th.IntegerType(minimum=1, maximum=MAX_BATCH),
                default=MAX_BATCH,
                description="Items per batch request (Akeneo accepts at most 100)",
            ),
            th.Property(
                "dry_run",
                th.BooleanType,
                default=False,
                description="Write the report and the batches that would be sent; change nothing",
            ),
        ).to_dict()
    )

    message_reader_class = FastSingerReader  # msgspec; same values as the SDK's reader
    _push: Push | None = None
    _direct: dict[str, JobRowSink] | None = None

    def get_sink_class(self, stream_name: str) -> type[Sink]:
        """Job streams feed the push; anything else is ignored (never sent to the PIM)."""
        return JobRowSink if stream_name in JOB_STREAMS else IgnoredStreamSink

    def job_push(self) -> Push:
        """The push of this run, created when the first job record arrives."""
        if self._push is None:
            config = self.config
            workspace = Path(config["workspace"])
            job_id = str(config["job_id"])
            if not job_id or job_id in {".", ".."} or "/" in job_id or "\\" in job_id:
                self.logger.error(
                    "invalid job_id %r: it must be a folder name inside jobs/", job_id
                )
                raise SystemExit(1)
            try:
                project = load_project(workspace)
            except ProjectError as exc:
                self.logger.error("%s", exc)
                raise SystemExit(1) from None
            try:  # checks the URL and that the credentials are complete; no call yet
                client = client_from_config(config)
            except ValueError as exc:
                self.logger.error("invalid settings: %s", exc)
                raise SystemExit(1) from None
            settings = PushSettings(
                workspace=workspace,
                job_id=job_id,
                batch_size=min(int(config.get("batch_size", MAX_BATCH)), MAX_BATCH),
                max_concurrency=int(config.get("max_concurrency", 4)),
                dry_run=bool(config.get("dry_run", False)),
            )
            self._push = Push(settings, project, lambda: client, self.logger)
        return self._push

    def _process_record_message(self, message_dict: dict[str, Any]) -> None:
        """Job rows go straight to their sink when no stream map applies to them.

        The SDK's generic path copies each record, runs the identity stream map, looks the
        sink up and adds or strips ``_sdc`` metadata: per-record work that changes nothing for
        a job row (the push reads only ``row`` and ``data``). The SDK's own validation and
        Singer checks still run, and records are counted as the SDK counts them. With stream
        maps configured, or for any other stream, the SDK's path runs unchanged.
        """
        stream = message_dict.get("stream")
        sink = self._direct_sink(stream) if isinstance(stream, str) else None
        record = message_dict.get("record")
        if sink is None or not isinstance(record, dict):
            super()._process_record_message(message_dict)
            return
        # The SDK's own steps for a record, in its order (its internals: singer-sdk ~=0.54.9);
        # validation and date parsing are skipped for a plain job record (see is_plain).
        if not sink.is_plain(record):
            sink._validate_and_parse(record)
            sink._singer_validate_message(record)
        sink.tally_record_read()
        sink.process_record(record, {})
        sink.record_counter_metric.increment()
        if sink.is_full:
            self.drain_one(sink)
        self._handle_max_record_age()

    def _direct_sink(self, stream: str) -> JobRowSink | None:
        """The stream's active job sink when its only stream map is the identity."""
        sink = self._sinks_active.get(stream)
        direct = self._direct
        if direct is not None and sink is not None and direct.get(stream) is sink:
            return sink  # checked below when this sink got its first record
        if not isinstance(sink, JobRowSink) or self.config.get("stream_maps"):
            return None
        if direct is None:
            direct = self._direct = {}
        if direct.get(stream) is not sink:  # first record, or a new sink after a SCHEMA
            maps = self.mapper.stream_maps.get(stream) or []
            if len(maps) != 1 or type(maps[0]) is not SameRecordTransform:
                return None
            if maps[0].stream_alias != stream:
                return None
            direct[stream] = sink
        return sink

    def process_endofpipe(self) -> None:
        """After the last input line: push the job in order and write the report."""
        super().process_endofpipe()
        if self._push is None:
            self.logger.warning("no job rows received: nothing pushed, no report written")
            return
        self._push.run()
        if self._push.stopped:
            # The report is written; a push that could not finish fails the run (exit 1).
            raise SystemExit(1)


if __name__ == "__main__":
    TargetAkeneo.cli()
