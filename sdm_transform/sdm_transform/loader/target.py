"""target-sdm-config: catalog structure streams -> the SDM workspace's project.json.

Reads tap-akeneo's streams, builds the project configuration once all input is read, and
writes it atomically into the workspace, keeping `sync-status.json` up to date.

Detecting a failed upstream tap: when the tap is piped into this loader (a shell pipe, or
`meltano run`, which closes the loader's input when the tap exits, whatever its exit code), a
crashed tap only shows as the end of the input. tap-akeneo announces each top-level stream with
a SCHEMA message before reading it, even when it is empty or its endpoint is missing, in a fixed
order that ends with reference entities and asset families. So if one of `REQUIRED_STREAMS`
(catalog.py) was never announced when the input ends, the tap stopped before the catalog was
complete: the sync fails and the previous project.json stays. A tap dying while reading asset
families (the last of them, whose records the transform does not use) or products (ignored)
leaves a complete catalog behind. Deselecting one of the required streams makes every sync fail
with a message naming it. A tap stopping in the middle of a stream is caught too: singer-sdk taps
close every stream with a STATE message, so input whose last RECORD or SCHEMA is not followed by
a STATE message ended mid-stream, and the sync fails the same way.
"""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING, Any

from singer_sdk import typing as th
from singer_sdk.exceptions import ConfigValidationError
from singer_sdk.io_base import SingerReader
from singer_sdk.singerlib.exceptions import InvalidInputLine
from singer_sdk.target_base import Target

from sdm_transform.catalog import CATALOG_STREAMS, IGNORED_STREAMS, REQUIRED_STREAMS
from sdm_transform.loader.sinks import CatalogSink, IgnoredSink
from sdm_transform.project import build_project
from sdm_transform.settings import SettingsError, SyncSettings
from sdm_transform.workspace import Workspace

if TYPE_CHECKING:
    from types import FrameType

    from singer_sdk.sinks import Sink

_CODES = th.ArrayType(th.StringType)


class SyncInputError(RuntimeError):
    """The input ended without what a complete tap run sends."""


class InputReader(SingerReader):
    """Reads Singer lines; a broken line is named by its number, without a traceback."""

    def __init__(self) -> None:
        super().__init__()
        self.line_number = 0

    def deserialize_json(self, line: str) -> dict:
        """Parse one input line (a JSON object)."""
        self.line_number += 1
        try:
            message = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InvalidInputLine(
                f"input line {self.line_number} is not valid JSON ({exc.msg}): {line[:200]!r}"
            ) from exc
        if not isinstance(message, dict):
            raise InvalidInputLine(f"input line {self.line_number} is not a JSON object")
        return message


class TargetSdmConfig(Target):
    """Singer loader that writes the SDM project configuration (contract §1-§5)."""

    name = "target-sdm-config"
    default_sink_class = CatalogSink
    message_reader_class = InputReader

    config_jsonschema = th.PropertiesList(
        th.Property(
            "workspace",
            th.StringType,
            required=True,
            description="SDM workspace folder (project.json, sync-status.json, steps/)",
        ),
        th.Property("pim_url", th.StringType, description="Recorded in source.pim_url"),
        th.Property("channels", _CODES, description="Target only these channels (empty: all)"),
        th.Property(
            "locales",
            _CODES,
            description="Target only these locales (empty: all of the targeted channels)",
        ),
        th.Property("families", _CODES, description="Target only these families (empty: all)"),
        th.Property("excluded_attributes", _CODES, description="Attributes left out"),
        th.Property(
            "excluded_attribute_groups",
            _CODES,
            description="Attribute groups whose attributes are left out",
        ),
        th.Property(
            "allow_new_options",
            _CODES,
            description="Attributes for which the push may create options",
        ),
        th.Property(
            "split_categories",
            th.BooleanType,
            default=False,
            description="One category hierarchy per tree",
        ),
        th.Property(
            "added_fields",
            th.ArrayType(th.CustomType({"type": ["string", "object"]})),
            description="Non-PIM fields kept in the project (names or objects)",
        ),
    ).to_dict()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.buffers: dict[str, list[dict]] = {}
        self.announced: set[str] = set()
        self.open_stream: str | None = None  # stream of the last RECORD/SCHEMA not closed by STATE
        try:
            super().__init__(*args, **kwargs)
        except ConfigValidationError as exc:
            _fail_before_start(kwargs.get("config"), exc)
            raise
        self.workspace = Workspace(self.config["workspace"])
        self.workspace.begin()
        self._finished = False
        try:
            self.settings = SyncSettings.from_config(self.config)
        except SettingsError as exc:
            self.fail(exc)
            raise SystemExit(1) from exc

    def get_sink_class(self, stream_name: str) -> type[Sink]:
        """Products and product models are not part of the configuration."""
        if stream_name in IGNORED_STREAMS:
            return IgnoredSink
        return CatalogSink

    def _process_schema_message(self, message_dict: dict) -> None:
        super()._process_schema_message(message_dict)
        self.announced.add(str(message_dict.get("stream")))
        self.open_stream = str(message_dict.get("stream"))

    def _process_record_message(self, message_dict: dict) -> None:
        super()._process_record_message(message_dict)
        self.open_stream = str(message_dict.get("stream"))

    def _process_state_message(self, message_dict: dict) -> None:
        super()._process_state_message(message_dict)
        self.open_stream = None

    def process_endofpipe(self) -> None:
        """Build the project from everything read and write it into the workspace."""
        super().process_endofpipe()
        missing = [stream for stream in REQUIRED_STREAMS if stream not in self.announced]
        if missing:
            raise SyncInputError(
                "the input ended without the stream(s) "
                + ", ".join(missing)
                + ": the tap stopped early or sent an incomplete catalog; "
                "project.json is left unchanged"
            )
        if self.open_stream is not None:
            raise SyncInputError(
                f"the input ended in the middle of the stream {self.open_stream} (no closing "
                "STATE message): the tap stopped early; project.json is left unchanged"
            )
        catalog = {stream: self.buffers.get(stream, []) for stream in CATALOG_STREAMS}
        steps, problems = self.workspace.read_steps()
        project, counts = build_project(catalog, self.settings, steps)
        for problem in problems:
            project["warnings"].insert(0, {"attribute": None, "message": problem})
        counts["warnings"] = len(project["warnings"])
        self.workspace.commit(project, counts)
        for warning in project["warnings"]:
            self.logger.warning("sync warning: %s", warning["message"])
        self.logger.info("project.json written: %s", counts)
        self._finished = True

    def fail(self, error: BaseException | str) -> None:
        """Record the sync as failed (once); project.json stays as it was."""
        if self._finished:
            return
        self._finished = True
        message = error if isinstance(error, str) else _describe(error)
        self.logger.error("configuration sync failed: %s", message)
        self.workspace.fail(message)

    def run(self, file_input: Any = None) -> None:
        """Read the input and write the project; any failure is recorded in the status."""
        try:
            self.listen(file_input)
        except BaseException as exc:
            self.fail(exc)
            if not isinstance(exc, _EXPECTED):
                self.logger.debug("details of the failure", exc_info=True)
            raise
        if not self._finished:  # pragma: no cover - listen always ends in process_endofpipe
            self.fail("the sync ended without writing the project")

    def _handle_termination(self, signum: int, frame: FrameType | None) -> None:
        """Record the interrupted sync as failed and exit non-zero.

        The SDK's default drains the sinks and exits 0, which would report an interrupted sync
        as a success to Meltano.
        """
        self.fail(f"interrupted by signal {signum}")
        raise SystemExit(128 + signum)

    @classmethod
    def invoke(  # type: ignore[override]
        cls,
        *,
        about: bool = False,
        about_format: str | None = None,
        config: Any = None,
        file_input: Any = None,
    ) -> None:
        """Run the target from the command line (as `Target.invoke`, through `run`)."""
        super(Target, cls).invoke(about=about, about_format=about_format)
        cls.print_version(print_fn=cls.logger.info)
        target = cls(
            config=config.config if config is not None else {},
            validate_config=True,
            parse_env_config=config.parse_env if config is not None else False,
        )
        try:
            target.run(file_input)
        except Exception as exc:
            # Already recorded and logged by run(): a clear message, no traceback.
            raise SystemExit(1) from exc


def _fail_before_start(config: Any, error: ConfigValidationError) -> None:
    """Record invalid settings in the status, when the workspace can be told at all."""
    workspace = config.get("workspace") if isinstance(config, dict) else None
    workspace = workspace or os.environ.get("TARGET_SDM_CONFIG_WORKSPACE")
    if not isinstance(workspace, str) or not workspace:
        return
    store = Workspace(workspace)
    store.begin()
    store.fail("invalid settings: " + "; ".join(error.errors or [str(error)]))


_EXPECTED = (SyncInputError, InvalidInputLine, ValueError, OSError)


def _describe(error: BaseException) -> str:
    """A readable one-line reason for the status file."""
    if isinstance(error, KeyboardInterrupt):
        return "interrupted"
    if isinstance(error, SystemExit):
        return f"stopped (exit code {error.code})"
    text = str(error).strip() or type(error).__name__
    if isinstance(error, _EXPECTED):
        return text
    return f"{type(error).__name__}: {text}"
