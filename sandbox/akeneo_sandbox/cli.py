"""``akeneo-sandbox serve``: run the sandbox PIM in the foreground."""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

from .errors import CatalogError
from .sandbox import Sandbox


def build_parser() -> argparse.ArgumentParser:
    """The command line."""
    parser = argparse.ArgumentParser(prog="akeneo-sandbox",
                                     description="A local sandbox Akeneo PIM (REST API v1).")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve the sandbox PIM until interrupted")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8089)
    source = serve.add_mutually_exclusive_group()
    source.add_argument("--catalog", type=Path, help="catalog folder (default: the demo catalog)")
    source.add_argument("--empty", action="store_true", help="a near-empty fresh PIM")
    serve.add_argument("--edition", choices=("ee", "ce"), default="ee")
    serve.add_argument("--latency-ms", type=float, default=0)
    serve.add_argument("--token-ttl", type=float, default=3600)
    serve.add_argument("--fault-429-every", type=int, default=0)
    serve.add_argument("--retry-after", type=int, default=1)
    serve.add_argument("--fault-5xx-every", type=int, default=0)
    serve.add_argument("--fault-drop-every", type=int, default=0)
    serve.add_argument("--option-rate-limit", type=int, default=0,
                       help="attribute-option writes per second (Akeneo SaaS: 3; 0 = off)")
    serve.add_argument("--client-id", default="sandbox-client")
    serve.add_argument("--secret", default="sandbox-secret")
    serve.add_argument("--username", default="sandbox")
    serve.add_argument("--password", default="sandbox")
    return parser


def _interrupt(signum: int, frame: object) -> None:
    """SIGTERM stops the server as Ctrl-C does (clean shutdown, exit code 0)."""
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``akeneo-sandbox``."""
    args = build_parser().parse_args(argv)
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"akeneo-sandbox: refusing to listen on {args.host}: loopback only",
              file=sys.stderr)
        return 2
    try:
        pim = Sandbox(
            catalog=args.catalog, empty=args.empty, port=args.port, host=args.host,
            latency_ms=args.latency_ms, token_ttl=args.token_ttl,
            fault_429_every=args.fault_429_every, fault_5xx_every=args.fault_5xx_every,
            fault_drop_every=args.fault_drop_every, retry_after=args.retry_after,
            option_rate_limit=args.option_rate_limit, edition=args.edition,
            client_id=args.client_id, client_secret=args.secret, username=args.username,
            password=args.password)
    except (CatalogError, ValueError) as exc:
        print(f"akeneo-sandbox: {exc}", file=sys.stderr)
        return 2
    try:
        pim.start()
    except OSError as exc:
        print(f"akeneo-sandbox: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 2
    store = pim.store
    print(f"akeneo-sandbox serving {pim.url} ({pim.catalog or 'empty PIM'}), edition "
          f"{args.edition}: {len(store.channels)} channels, {len(store.attributes)} attributes, "
          f"{len(store.families)} families, {len(store.categories)} categories, "
          f"{len(store.product_models)} product models, {len(store.products)} products",
          flush=True)
    print(f"client_id={args.client_id} username={args.username} (secret and password as "
          "given; defaults in the README). Ctrl-C to stop.", flush=True)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        pim.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        pim.stop()
    print("akeneo-sandbox stopped", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
