"""``AkeneoClient``: the one Akeneo HTTP client of the project.

It owns the ``requests.Session`` (pooled for ``max_concurrency`` connections), the shared token,
the retry rules (429 waits ``Retry-After``; 408, 5xx, timeouts and dropped connections back off
exponentially with jitter; 401 renews the token once), link-following pagination and the batch
endpoints. Both plugins go through it so that these rules exist once.
"""

from __future__ import annotations

import email.utils
import itertools
import json
import logging
import operator
import os
import random
import re
import threading
import time
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

import requests
from requests.adapters import HTTPAdapter
from requests.cookies import RequestsCookieJar, extract_cookies_to_jar, merge_cookies
from requests.structures import CaseInsensitiveDict
from requests.utils import get_encoding_from_headers, select_proxy
from urllib3.exceptions import (
    ClosedPoolError,
    ConnectTimeoutError,
    MaxRetryError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
)
from urllib3.exceptions import SSLError as Urllib3SSLError
from urllib3.util import Timeout

from .auth import TOKEN_PATH, TokenManager, error_message
from .batch import LazyItems, LineResult, encode_line, key_of_line, parse_array, parse_ndjson
from .errors import AkeneoAuthError, AkeneoBatchTooLargeError, AkeneoError, endpoint_of
from .stats import ClientStats

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence

    from urllib3 import HTTPConnectionPool

__all__ = ["COLLECTION_CONTENT_TYPE", "AkeneoClient"]

COLLECTION_CONTENT_TYPE = "application/vnd.akeneo.collection+json"
USER_AGENT = "akeneo-sdm-connector/0.1 (akeneo_client)"
MAX_RENEWALS = 3  # token renewals within one call (each after a 401)

logger = logging.getLogger("akeneo_client")

_PREPARED_ARGS = frozenset({"params", "data", "json", "files", "headers"})
"""``requests`` arguments the client prepares itself (see ``AkeneoClient._prepare``)."""

FileInput = bytes | bytearray | str | os.PathLike[str]


def _with_params(url: str, params: Any) -> str:
    """The URL as sent, query parameters included (for messages)."""
    if not params:
        return url
    prepared = requests.Request("GET", url, params=params).prepare().url
    return prepared or url


def _tls_reason(exc: Exception) -> str:
    """The useful part of a TLS error (e.g. ``certificate verify failed: self-signed ...``)."""
    text = str(exc)
    for pattern in (r"certificate verify failed:[^')\]]*", r"\[SSL: [A-Z_]+\]"):
        match = re.search(pattern, text)
        if match:
            return match.group(0).strip(" ([")
    return text.splitlines()[0][:200] if text else "TLS"


class AkeneoClient:
    """Thread-safe client for one Akeneo PIM.

    Args:
        api_url: PIM base URL, without ``/api/rest/v1``.
        client_id, client_secret, username, password: Connection credentials.
        access_token: an App token instead of Connection credentials (never refreshed).
        timeout: seconds per HTTP attempt (connect and read).
        max_retries: retries per call for 429, 408, 5xx, timeouts and dropped connections.
        max_concurrency: HTTP calls in flight at once (Akeneo allows 4 per connection).
        verify: TLS certificate verification (keep it on outside tests).
        retry_after_cap: longest wait honoured from a ``Retry-After`` header, in seconds.
        backoff_base: first backoff delay in seconds (doubles on each retry).
        backoff_max: longest backoff delay in seconds.
        batch_limit: most items per batch request (Akeneo: 100).
        sleep: how to wait before a retry (tests may record the waits).
        clock: monotonic clock deciding when the token is due for renewal.
    """

    def __init__(
        self,
        api_url: str,
        client_id: str | None = None,
        client_secret: str | None = None,
        username: str | None = None,
        password: str | None = None,
        *,
        access_token: str | None = None,
        timeout: float = 30.0,
        max_retries: int = 5,
        max_concurrency: int = 4,
        verify: bool | str = True,
        retry_after_cap: float = 60.0,
        backoff_base: float = 0.5,
        backoff_max: float = 30.0,
        batch_limit: int = 100,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not api_url or not urlsplit(api_url).scheme or not urlsplit(api_url).netloc:
            raise ValueError(f"api_url must be an absolute http(s) URL, got {api_url!r}")
        if max_concurrency < 1:
            raise ValueError("max_concurrency must be at least 1")
        if max_retries < 0:
            raise ValueError("max_retries cannot be negative")
        if batch_limit < 1:
            raise ValueError("batch_limit must be at least 1")
        self.api_url = api_url.rstrip("/")
        self.timeout = timeout
        self.max_retries = max_retries
        self.max_concurrency = max_concurrency
        self.retry_after_cap = retry_after_cap
        self.backoff_base = backoff_base
        self.backoff_max = backoff_max
        self.batch_limit = batch_limit
        self.stats = ClientStats()
        self._sleep = sleep
        self._slots = threading.BoundedSemaphore(max_concurrency)
        self._session = requests.Session()
        self.verify = verify
        self._session.verify = verify
        self._session.headers["User-Agent"] = USER_AGENT
        # requests reads the environment (proxies, CA bundle, .netrc) again on every call; it
        # is read once here for the PIM's URL, and passed with each call.
        env = self._session.merge_environment_settings(self.api_url, {}, None, verify, None)
        self._call_settings = {"proxies": env["proxies"], "verify": env["verify"]}
        self._session.trust_env = False
        # What Session.request would hand to Session.send on each call, worked out once.
        self._send_settings: dict[str, Any] = {
            "allow_redirects": True,
            **self._session.merge_environment_settings(
                self.api_url, env["proxies"], None, env["verify"], None),
        }
        adapter = HTTPAdapter(pool_connections=2, pool_maxsize=max_concurrency, max_retries=0)
        self._session.mount("http://", adapter)
        self._session.mount("https://", adapter)
        self._adapter = adapter
        # PATCH calls (the batches: nearly all of a push's requests) go straight to the
        # adapter's connection pool when no proxy applies (see _send_direct).
        self._direct = not select_proxy(self.api_url, self._send_settings["proxies"])
        self._timeout = Timeout(connect=timeout, read=timeout)
        origin = urlsplit(self.api_url)
        self._origin = (origin.scheme, origin.netloc)
        self._tokens = TokenManager(
            token_url=self.api_url + TOKEN_PATH,
            client_id=client_id,
            client_secret=client_secret,
            username=username,
            password=password,
            access_token=access_token,
            send=self._send_with_retries,
            stats=self.stats,
            clock=clock,
        )

    # -- lifecycle -------------------------------------------------------------------------

    def close(self) -> None:
        """Close the pooled connections."""
        self._session.close()

    def __enter__(self) -> AkeneoClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        auth = "app token" if self._tokens.is_app_token else "password grant"
        return f"AkeneoClient(api_url={self.api_url!r}, auth={auth!r})"

    # -- URLs --------------------------------------------------------------------------------

    def url_for(self, path: str) -> str:
        """Absolute URL for an API path, or ``path`` itself when it is already absolute."""
        if urlsplit(path).scheme in {"http", "https"}:
            return path
        return f"{self.api_url}/{path.lstrip('/')}"

    def _follow(self, current_url: str, href: str) -> str:
        """URL of a ``_links`` href: relative ones are joined to the page that held them.

        A link pointing at another scheme/host (a PIM behind a proxy that reports its public
        name) keeps its path and query but is sent to ``api_url``'s host, so that the bearer
        token never leaves the configured PIM.
        """
        url = urljoin(current_url, href)
        parts = urlsplit(url)
        if (parts.scheme, parts.netloc) != self._origin:
            logger.debug("Link %s points outside %s; following its path there", url, self.api_url)
            url = urlunsplit((*self._origin, parts.path, parts.query, ""))
        return url

    # -- transport ---------------------------------------------------------------------------

    def _backoff(self, attempt: int) -> float:
        """Exponential backoff with jitter: half the delay fixed, half random."""
        delay = min(self.backoff_max, self.backoff_base * (2**attempt))
        return delay / 2 + random.uniform(0, delay / 2)  # noqa: S311 (jitter, not crypto)

    def _retry_after(self, response: requests.Response) -> float | None:
        value = response.headers.get("Retry-After")
        if value is None:
            return None
        try:
            seconds = float(value.strip())
        except ValueError:
            try:
                when = email.utils.parsedate_to_datetime(value)
            except (TypeError, ValueError):
                return None
            seconds = when.timestamp() - time.time()
        if seconds > self.retry_after_cap:
            logger.warning("Retry-After of %g s is longer than the %g s waited at most; "
                           "retrying sooner", seconds, self.retry_after_cap)
        return max(0.0, min(seconds, self.retry_after_cap))

    def _prepare(
        self,
        method: str,
        url: str,
        *,
        params: Any = None,
        data: Any = None,
        json: Any = None,
        files: Any = None,
        headers: Mapping[str, str | None] | None = None,
    ) -> requests.PreparedRequest:
        """The request ``Session.prepare_request`` would build, for this client's session.

        requests merges the session's settings into every call, testing each mapping against a
        ``typing.Protocol`` (slow: about a fifth of a batch call's CPU). This session's settings
        never change: its headers, its cookie jar, no auth, no params, no hooks, no .netrc
        (``trust_env`` is off). So the merge is done here directly, with requests' rules:
        call headers override session headers whatever their case, and a ``None`` header or
        parameter is left out.
        """
        merged: CaseInsensitiveDict[Any] = CaseInsensitiveDict(self._session.headers)
        merged.update(headers or {})
        if isinstance(params, Mapping):
            params = {k: v for k, v in params.items() if v is not None}
        prepared = requests.PreparedRequest()
        prepared.prepare(
            method=method.upper(),
            url=url,
            files=files,
            data=data or {},
            json=json,
            headers={k: v for k, v in merged.items() if v is not None},
            params=params,
            cookies=merge_cookies(RequestsCookieJar(), self._session.cookies),
        )
        return prepared

    def _send_once(
        self, method: str, url: str, *, token_call: bool = False, **kwargs: Any
    ) -> requests.Response:
        """One HTTP attempt, inside a concurrency slot; counted and logged (never secrets).

        The client's own calls pass only ``_PREPARED_ARGS`` and go the short way (see
        ``_prepare``); anything else (``timeout``, ``stream``...) goes through
        ``Session.request`` with the settings read at construction as defaults.
        """
        self.stats.add("requests")
        self.stats.add("token_requests" if token_call else "api_requests")
        started = time.monotonic()
        if kwargs.keys() <= _PREPARED_ARGS:
            prepared = self._prepare(method, url, **kwargs)
            with self._slots:
                if method == "PATCH" and self._direct:
                    response = self._send_direct(prepared)
                else:
                    response = self._session.send(prepared, timeout=self.timeout,
                                                  **self._send_settings)
        else:
            kwargs.setdefault("timeout", self.timeout)
            for name, value in self._call_settings.items():
                kwargs.setdefault(name, value)
            with self._slots:
                response = self._session.request(method, url, **kwargs)
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug("%s %s -> %s in %.3f s", method, endpoint_of(response.url or url),
                         response.status_code, time.monotonic() - started)
        return response

    def _send_direct(self, prepared: requests.PreparedRequest) -> requests.Response:
        """``Session.send`` for a PATCH without a proxy, at a third less CPU per call.

        The request goes to the connection pool requests' own adapter picks for it (same TLS
        verification, CA bundle and pool), its whole answer is read at once, and urllib3's
        errors become the requests errors ``HTTPAdapter.send`` raises for them. Cookies the
        PIM sets are kept in the session as requests keeps them. Redirects are not followed:
        a PATCH must not be re-sent elsewhere (``request`` reports a 3xx answer).
        """
        adapter = self._adapter
        verify = self._send_settings["verify"]
        pool = cast(
            "HTTPConnectionPool",
            adapter.get_connection_with_tls_context(prepared, verify, proxies=None, cert=None),
        )
        adapter.cert_verify(pool, prepared.url, verify, None)
        try:
            raw = pool.urlopen(
                method=prepared.method or "PATCH",
                url=prepared.path_url,
                body=prepared.body,
                headers=prepared.headers,
                redirect=False,
                assert_same_host=False,
                preload_content=True,
                decode_content=True,
                retries=adapter.max_retries,
                timeout=self._timeout,
                chunked=False,
            )
        except (ProtocolError, OSError, ClosedPoolError) as exc:
            raise requests.ConnectionError(exc, request=prepared) from None
        except MaxRetryError as exc:
            reason = exc.reason
            if isinstance(reason, ConnectTimeoutError) and not isinstance(
                reason, NewConnectionError
            ):
                raise requests.ConnectTimeout(exc, request=prepared) from None
            if isinstance(reason, Urllib3SSLError):
                raise requests.exceptions.SSLError(exc, request=prepared) from None
            raise requests.ConnectionError(exc, request=prepared) from None
        except Urllib3SSLError as exc:
            raise requests.exceptions.SSLError(exc, request=prepared) from None
        except ReadTimeoutError as exc:
            raise requests.ReadTimeout(exc, request=prepared) from None
        response = requests.Response()
        response.status_code = raw.status
        response.headers = CaseInsensitiveDict(raw.headers)
        response.encoding = get_encoding_from_headers(response.headers)
        response.reason = raw.reason or ""
        response.url = prepared.url or ""
        response.request = prepared
        response.raw = raw
        response._content = raw.data  # read above (preload_content)
        if "set-cookie" in response.headers:
            extract_cookies_to_jar(self._session.cookies, prepared, raw)
        return response

    def _send_with_retries(
        self, method: str, url: str, *, token_call: bool = False, **kwargs: Any
    ) -> requests.Response:
        """Send, retrying 429, 408, 5xx, timeouts and dropped connections.

        Returns the first response that is not retried (possibly a 4xx, or the last 5xx/429 when
        retries ran out). Raises ``AkeneoError`` when the transport keeps failing.
        """
        attempt = 0
        while True:
            try:
                response = self._send_once(method, url, token_call=token_call, **kwargs)
            except requests.exceptions.SSLError as exc:
                raise AkeneoError(
                    None,
                    f"TLS failure ({_tls_reason(exc)}); check the PIM's certificate (verify_ssl "
                    "can be turned off for test PIMs only)",
                    method,
                    _with_params(url, kwargs.get("params")),
                ) from None
            except (requests.Timeout, requests.ConnectionError,
                    requests.exceptions.ChunkedEncodingError) as exc:
                reason = "timeout" if isinstance(exc, requests.Timeout) else "connection"
                if attempt >= self.max_retries:
                    raise AkeneoError(
                        None,
                        f"{'timed out' if reason == 'timeout' else 'connection failed'} "
                        f"after {attempt + 1} attempt(s): {type(exc).__name__}",
                        method,
                        _with_params(url, kwargs.get("params")),
                    ) from None
                wait = self._backoff(attempt)
                detail = type(exc).__name__
            else:
                status = response.status_code
                if status == 429:
                    reason = "429"
                elif status == 408:
                    reason = "408"
                elif status >= 500:
                    reason = "5xx"
                else:
                    return response
                if attempt >= self.max_retries:
                    return response
                retry_after = self._retry_after(response)
                wait = retry_after if retry_after is not None else self._backoff(attempt)
                detail = f"HTTP {status}" + (" (Retry-After)" if retry_after is not None else "")
                response.close()
            attempt += 1
            self.stats.add_retry(reason, wait)
            shown = endpoint_of(_with_params(url, kwargs.get("params")))  # only when retrying
            logger.warning("%s %s: %s; retry %d/%d in %.2f s", method, shown, detail, attempt,
                           self.max_retries, wait)
            if wait > 0:
                self._sleep(wait)

    def _error(self, response: requests.Response, method: str, url: str) -> AkeneoError:
        message, body = error_message(response)
        message = self._tokens.redact(message)
        if response.status_code == 401:
            return AkeneoAuthError(401, message, method, url, body)
        return AkeneoError(response.status_code, message, method, url, body)

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        """Authenticated call with every retry rule; returns the 2xx/3xx response.

        ``kwargs`` go to ``requests`` (``params``, ``json``, ``data``, ``files``, ``headers``...).

        Raises:
            AkeneoAuthError: authentication failed, or still 401 after MAX_RENEWALS renewals.
            AkeneoError: any other 4xx, or 408/429/5xx/transport failures after the retries.
        """
        method = method.upper()
        url = self.url_for(path)
        extra_headers = dict(kwargs.pop("headers", None) or {})
        renewals = 0
        while True:
            token = self._tokens.token()
            headers = {**extra_headers, "Authorization": f"Bearer {token}"}
            response = self._send_with_retries(method, url, headers=headers, **kwargs)
            # A token may expire again during a long chain of retries (429, 5xx): each 401
            # renews it, a few times at most, so that a call never loops on 401s.
            if response.status_code == 401 and renewals < MAX_RENEWALS:
                renewals += 1
                if self._tokens.on_unauthorized(token):
                    self.stats.add_retry("401", 0.0)
                    continue
                raise AkeneoAuthError(
                    401,
                    "the App access token was rejected; App tokens cannot be refreshed, "
                    "authorize the App again",
                    method,
                    url,
                )
            if response.status_code >= 400:
                raise self._error(response, method, response.url or url)
            if 300 <= response.status_code < 400 and method == "PATCH":
                raise AkeneoError(
                    response.status_code,
                    f"redirected to {response.headers.get('Location')!r}; a PATCH is not sent "
                    "again elsewhere: set api_url to the PIM's own address",
                    method,
                    url,
                )
            return response

    # -- JSON reads --------------------------------------------------------------------------

    @staticmethod
    def _json(response: requests.Response, method: str, url: str) -> Any:
        try:
            return response.json()
        except ValueError:
            raise AkeneoError(response.status_code,
                              f"answer is not JSON: {response.text[:200]!r}",
                              method, url) from None

    def get_json(self, path: str, params: dict[str, Any] | None = None) -> Any:
        """GET ``path`` and return the parsed JSON (dict or list)."""
        response = self.request("GET", path, params=params,
                                headers={"Accept": "application/json"})
        return self._json(response, "GET", response.url or self.url_for(path))

    def get_json_or_none(self, path: str, params: dict[str, Any] | None = None) -> Any:
        """Like ``get_json`` but ``None`` when Akeneo answers 404."""
        try:
            return self.get_json(path, params)
        except AkeneoError as exc:
            if exc.status == 404:
                return None
            raise

    def iter_pages(
        self, path: str, params: dict[str, Any] | None = None
    ) -> Iterator[list[dict[str, Any]]]:
        """Yield each page's items, following ``_links.next.href``.

        The first request carries ``params``; later ones follow the next link as given (joined to
        the current page when relative) without re-sending them. Stops on a missing next link or
        an empty page. A plain JSON array answer (endpoints without paging) is one page.
        """
        url: str | None = self.url_for(path)
        page_params = params
        seen: set[str] = set()
        while url is not None:
            response = self.request("GET", url, params=page_params,
                                    headers={"Accept": "application/json"})
            current = response.url or url
            data = self._json(response, "GET", current)
            if isinstance(data, list):
                if data:
                    yield data
                return
            if not isinstance(data, dict):
                raise AkeneoError(response.status_code, "answer is neither a page nor a list",
                                  "GET", current)
            embedded = data.get("_embedded")
            items = embedded.get("items") if isinstance(embedded, dict) else None
            if not items:
                return
            yield items
            links = data.get("_links")
            nxt = links.get("next") if isinstance(links, dict) else None
            href = nxt.get("href") if isinstance(nxt, dict) else None
            if not isinstance(href, str) or not href:
                return
            seen.add(current)
            url = self._follow(current, href)
            if url in seen:
                raise AkeneoError(None, f"pagination loop: next link {href!r} repeats a page",
                                  "GET", current)
            page_params = None

    def iter_items(
        self, path: str, params: dict[str, Any] | None = None
    ) -> Iterator[dict[str, Any]]:
        """Yield every item of a list endpoint, page after page (see ``iter_pages``)."""
        for page in self.iter_pages(path, params):
            yield from page

    # -- batches -----------------------------------------------------------------------------

    def _check_batch(self, path: str, items: Sequence[Any]) -> None:
        if len(items) > self.batch_limit:
            raise ValueError(
                f"batch for {path} has {len(items)} items; at most {self.batch_limit} per "
                "request (split it)"
            )

    def _batch_request(
        self, path: str, items: Sequence[Any], **kwargs: Any
    ) -> requests.Response:
        try:
            return self.request("PATCH", path, **kwargs)
        except AkeneoError as exc:
            too_large = exc.status == 413 or (
                exc.status == 403 and any(w in exc.message.lower() for w in ("large", "too many"))
            )
            if too_large:
                raise AkeneoBatchTooLargeError(
                    exc.status,
                    f"Akeneo refused the whole batch of {len(items)} item(s) as too large "
                    f"({exc.message}); send fewer or smaller items per request",
                    exc.method,
                    exc.url,
                    exc.body,
                ) from None
            if exc.status == 403:
                raise AkeneoError(
                    exc.status,
                    f"{exc.message} (a 403 on a batch may also mean the payload is too large "
                    "for the platform: try smaller batches)",
                    exc.method,
                    exc.url,
                    exc.body,
                ) from None
            raise

    def patch_collection(
        self, path: str, items: Sequence[dict[str, Any]], *, split_too_large: bool = False
    ) -> list[LineResult]:
        """Upsert up to ``batch_limit`` items with one NDJSON collection PATCH.

        Returns one ``LineResult`` per sent item, in order (Akeneo answers line by line; a line
        it does not answer gets status 0). See ``patch_collection_lines`` for
        ``split_too_large``.

        Raises:
            ValueError: more items than ``batch_limit``.
            AkeneoBatchTooLargeError: Akeneo refused the whole request as too large.
            AkeneoError: the request as a whole failed.
        """
        return self.patch_collection_lines(
            path, [encode_line(item) for item in items], split_too_large=split_too_large
        )

    def patch_collection_lines(
        self,
        path: str,
        lines: Sequence[bytes],
        *,
        split_too_large: bool = False,
    ) -> list[LineResult]:
        """Like ``patch_collection`` for items already serialized: one compact JSON line each.

        For callers that keep their payloads as the exact NDJSON lines to send (no second
        serialization). Each line must be one JSON object without a raw newline (``json``
        escapes newlines inside strings). Same limit check, answer parsing and retries.

        ``split_too_large``: when Akeneo refuses the whole request as too large (413, or a 403
        saying so), send each half again, down to single lines; a single line still refused
        gets its own failed ``LineResult`` (with the status) instead of an exception, so the
        other lines go on. Without it, ``AkeneoBatchTooLargeError`` is raised.

        Raises:
            ValueError: more lines than ``batch_limit``, or a line holding a raw newline.
            AkeneoBatchTooLargeError: refused as too large (``split_too_large`` off).
            AkeneoError: the request as a whole failed.
        """
        self._check_batch(path, lines)
        if not lines:
            return []
        # memchr over each line (bytes.count of one byte scans the body byte by byte)
        if any(map(operator.contains, lines, itertools.repeat(b"\n"))):
            raise ValueError(f"batch for {path}: an NDJSON line holds a raw newline")
        body = b"\n".join(lines)
        try:
            response = self._batch_request(
                path,
                lines,
                data=body,
                headers={"Content-Type": COLLECTION_CONTENT_TYPE},
            )
        except AkeneoBatchTooLargeError as exc:
            if not split_too_large:
                raise
            if len(lines) == 1:
                return [LineResult(1, key_of_line(lines[0]), exc.status or 0, exc.message,
                                   exc.errors)]
            half = len(lines) // 2
            logger.warning("%s: batch of %d refused as too large; sending halves", path,
                           len(lines))
            first = self.patch_collection_lines(path, lines[:half], split_too_large=True)
            second = self.patch_collection_lines(path, lines[half:], split_too_large=True)
            return first + [replace(r, line=(r.line or 0) + half) for r in second]
        return parse_ndjson(response.content, LazyItems(lines))

    def patch_json_array(self, path: str, items: Sequence[dict[str, Any]]) -> list[LineResult]:
        """Upsert up to ``batch_limit`` items with one JSON-array PATCH.

        Used by the endpoints that take a JSON array (assets, records, measurement families);
        results as for ``patch_collection``.
        """
        self._check_batch(path, items)
        if not items:
            return []
        response = self._batch_request(
            path,
            items,
            data=json.dumps(list(items), ensure_ascii=False).encode("utf-8"),
            headers={"Content-Type": "application/json"},
        )
        try:
            payload = response.json()
        except ValueError:
            payload = None
        return parse_array(payload, items)

    # -- media -------------------------------------------------------------------------------

    @staticmethod
    def _read(source: FileInput) -> bytes:
        if isinstance(source, bytes | bytearray):
            return bytes(source)
        return Path(source).read_bytes()

    @staticmethod
    def _code_from_location(response: requests.Response, marker: str) -> str | None:
        location = response.headers.get("Location")
        if not location:
            return None
        path = urlsplit(location).path
        index = path.find(marker)
        if index < 0:
            return None
        return unquote(path[index + len(marker):]) or None

    def upload_media_file(
        self,
        source: FileInput,
        filename: str,
        *,
        product: dict[str, Any] | None = None,
        product_model: dict[str, Any] | None = None,
        path: str = "/api/rest/v1/media-files",
    ) -> str:
        """Upload a product (or product model) media file and return its media-file code.

        Akeneo writes the file into the given value at once, so the product must exist.
        ``product`` is ``{"identifier", "attribute", "scope", "locale"}``; ``product_model`` is
        ``{"code", "attribute", "scope", "locale"}``; give exactly one.
        """
        if (product is None) == (product_model is None):
            raise ValueError("upload_media_file needs exactly one of product= or product_model=")
        part = ("product", product) if product is not None else ("product_model", product_model)
        response = self.request(
            "POST",
            path,
            files={"file": (filename, self._read(source))},
            data={part[0]: json.dumps(part[1])},
        )
        code = self._code_from_location(response, "/media-files/")
        if code is None:
            raise AkeneoError(response.status_code,
                              "upload answered without a media-file Location header", "POST",
                              self.url_for(path))
        return code

    def upload_asset_media_file(
        self, source: FileInput, filename: str, *, path: str = "/api/rest/v1/asset-media-files"
    ) -> str:
        """Upload an asset media file and return its code.

        The code comes from the ``Asset-media-file-code`` header, else from ``Location``.
        """
        response = self.request("POST", path, files={"file": (filename, self._read(source))})
        code = response.headers.get("Asset-media-file-code") or self._code_from_location(
            response, "/asset-media-files/"
        )
        if not code:
            raise AkeneoError(response.status_code,
                              "upload answered without an asset media-file code", "POST",
                              self.url_for(path))
        return code
