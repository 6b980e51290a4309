"""A local sandbox Akeneo PIM (REST API v1 on loopback) for tests, benchmarks and the demo."""

from .errors import CatalogError
from .sandbox import Sandbox

__all__ = ["CatalogError", "Sandbox"]
