"""Product and product-model endpoints: lists with filters, GET, POST, PATCH, batch PATCH."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from . import products
from .errors import ApiError, not_found
from .http import empty, json_response, ndjson_batch, read_object
from .listing import (
    code_filter,
    compare_dates,
    page_envelope,
    pagination_type,
    parse_search,
    search_after_envelope,
    unsupported,
)
from .routing import Route

if TYPE_CHECKING:
    from werkzeug.wrappers import Request, Response

    from .server import App
    from .store import Store

API = "/api/rest/v1"
PAGE_CAP = 10_000
Check = Callable[[dict[str, Any]], bool]


def batch_lock(store: Store, req: Request) -> Any:
    """The store lock, held for a whole batch (parse, checks, writes and answer).

    The work is CPU-bound and the interpreter runs one thread at a time anyway. Batches
    arriving together (a client sending 4 at once, each after the same injected latency)
    would otherwise interleave line by line, handing the interpreter lock back and forth;
    a thread waiting on this lock uses no CPU. The body is read first, so a slow client
    never holds the store. Lines are still answered one by one, as Akeneo does.
    """
    req.get_data()  # read (and kept by the request) before taking the lock
    return store.lock


# -- filters --------------------------------------------------------------------------------
def _updated_moment(store: Store, kind: str, key: str, entity: dict[str, Any]) -> Any:
    """An entity's update time; a variant also counts its parent models' updates."""
    moment = store.updated.get((kind, key))
    for model in products.ancestors(store, entity.get("parent")):
        parent_moment = store.updated.get(("product_model", model["code"]))
        if parent_moment is not None and (moment is None or parent_moment > moment):
            moment = parent_moment
    return moment


def _parent_chain(store: Store, entity: dict[str, Any]) -> list[str]:
    return [m["code"] for m in products.ancestors(store, entity.get("parent"))]


def _values_filter(store: Store, attr_code: str, cond: dict[str, Any],
                   default_locale: str | None, default_scope: str | None) -> Check:
    """A filter on an attribute value (``=``, ``IN``, ``EMPTY``, ``<`` ...)."""
    op = cond["operator"]
    value = cond.get("value")
    locale = cond.get("locale", default_locale)
    scope = cond.get("scope", default_scope)
    attr = store.attributes[attr_code]

    def data_of(entity: dict[str, Any]) -> Any:
        values = products.effective_values(store, entity)
        for entry in values.get(attr_code, ()):
            if (not attr["localizable"] or entry["locale"] == locale) and (
                    not attr["scopable"] or entry["scope"] == scope):
                return entry["data"]
        return None

    def number(data: Any) -> float | None:
        if isinstance(data, dict):
            data = data.get("amount")
        try:
            return float(data)
        except (TypeError, ValueError):
            return None

    def check(entity: dict[str, Any]) -> bool:
        data = data_of(entity)
        if op == "EMPTY":
            return data is None
        if op == "NOT EMPTY":
            return data is not None
        if op in ("IN", "NOT IN"):
            if not isinstance(value, list):
                raise ApiError(422, f'Property "{attr_code}" expects an array as value.')
            items = data if isinstance(data, list) else [data]
            hit = any(i in value for i in items)
            return hit if op == "IN" else not hit
        if op in ("=", "!="):
            same = data == value or (number(data) is not None and number(data) == number(value))
            return same if op == "=" else (data is not None and not same)
        if op in ("<", "<=", ">", ">="):
            left, right = number(data), number(value)
            if left is None or right is None:
                return False
            return {"<": left < right, "<=": left <= right, ">": left > right,
                    ">=": left >= right}[op]
        if op in ("CONTAINS", "DOES NOT CONTAIN", "STARTS WITH"):
            text = data if isinstance(data, str) else ""
            if op == "STARTS WITH":
                return text.startswith(str(value))
            hit = str(value) in text
            return hit if op == "CONTAINS" else not hit
        raise unsupported(attr_code, op)
    return check


def _build_checks(store: Store, args: Any, kind: str, by_identifier: bool) -> list[Check]:
    search = parse_search(args)
    default_locale = args.get("search_locale")
    default_scope = args.get("search_scope")
    ident_attr = store.identifier_attribute
    return [_one_check(store, kind, by_identifier, ident_attr, prop, cond, default_locale,
                       default_scope)
            for prop, conditions in search.items() for cond in conditions]


def _one_check(  # noqa: PLR0917 - internal helper
    store: Store, kind: str, by_identifier: bool, ident_attr: str | None, prop: str,
               cond: dict[str, Any], default_locale: str | None,
               default_scope: str | None) -> Check:
    op = cond["operator"]
    value = cond.get("value")
    is_model = kind == "product_model"

    def key_of(entity: dict[str, Any]) -> str:
        return entity["code"] if is_model else entity["uuid"]

    if prop == "updated":
        compare_dates(None, op, value)  # validates operator and value up front
        return lambda e: compare_dates(_updated_moment(store, kind, key_of(e), e), op, value)
    if prop == "created":
        return lambda e: compare_dates(
            _parse(e["created"]), op, value)
    if prop == "uuid" and not is_model:
        return lambda e: code_filter(e["uuid"], op, value, "uuid")
    if (prop == "identifier" and (is_model or by_identifier)) or (
            not is_model and prop == ident_attr and op in ("IN", "NOT IN", "=", "!=")):
        if op not in ("IN", "NOT IN", "=", "!="):
            raise unsupported(prop, op)
        if op in ("IN", "NOT IN") and isinstance(value, list) and len(value) > 100 and not is_model:
            raise ApiError(422, f'Filter on property "{prop}" accepts at most 100 values.')
        if is_model:
            return lambda e: code_filter(e["code"], op, value, prop)
        return lambda e: code_filter(products.product_identifier(store, e) or "", op, value, prop)
    if prop == "family":
        if op in ("EMPTY", "NOT EMPTY"):
            return lambda e: (e.get("family") is None) == (op == "EMPTY")
        if op not in ("IN", "NOT IN"):
            raise unsupported(prop, op)
        return lambda e: code_filter(e.get("family") or "", op, value, "family")
    if prop == "enabled" and not is_model:
        if op not in ("=", "!=") or not isinstance(value, bool):
            raise unsupported(prop, op)
        return lambda e: (e["enabled"] == value) == (op == "=")
    if prop == "parent":
        if op == "=":
            return lambda e: value in _parent_chain(store, e)
        if op == "IN":
            return lambda e: any(p in (value or []) for p in _parent_chain(store, e))
        if op in ("EMPTY", "NOT EMPTY"):
            return lambda e: (e.get("parent") is None) == (op == "EMPTY")
        raise unsupported(prop, op)
    if prop == "categories":
        return _category_check(store, op, value)
    if prop in store.attributes:
        return _values_filter(store, prop, cond, default_locale, default_scope)
    raise unsupported(prop, op)


def _parse(text: str) -> Any:
    return datetime.fromisoformat(text)


def _category_check(store: Store, op: str, value: Any) -> Check:
    if op == "UNCLASSIFIED":
        return lambda e: not products._categories(store, e)
    if not isinstance(value, list):
        raise ApiError(422, 'Property "categories" expects an array as value.')
    wanted = set(value)
    if op in ("IN CHILDREN", "NOT IN CHILDREN"):
        wanted = set().union(*(store.category_descendants(c) for c in value)) if value else set()
    if op not in ("IN", "NOT IN", "IN OR UNCLASSIFIED", "IN CHILDREN", "NOT IN CHILDREN"):
        raise unsupported("categories", op)

    def check(entity: dict[str, Any]) -> bool:
        cats = set(products._categories(store, entity))
        hit = bool(cats & wanted)
        if op in ("NOT IN", "NOT IN CHILDREN"):
            return not hit
        if op == "IN OR UNCLASSIFIED":
            return hit or not cats
        return hit
    return check


# -- products -------------------------------------------------------------------------------
def _product_list(by_identifier: bool) -> Callable[..., Response]:
    path = "/products" if by_identifier else "/products-uuid"

    def handler(app: App, req: Request) -> Response:
        store = app.store
        base = app.base_url(req)
        ptype = pagination_type(req.args, ("page", "search_after"))
        with store.lock:
            checks = _build_checks(store, req.args, "product", by_identifier)
            items = list(store.products.values())
            if by_identifier:
                items = [p for p in items if products.product_identifier(store, p) is not None]
            if checks:
                items = [p for p in items if all(c(p) for c in checks)]

            def render(product: dict[str, Any]) -> dict[str, Any]:
                data = products.render_product(store, product, by_identifier, req.args)
                key = data["identifier"] if by_identifier else data["uuid"]
                return {"_links": {"self": {"href": f"{base}{API}{path}/{key}"}}, **data}

            if ptype == "search_after":
                def sort_key(p: dict[str, Any]) -> str:
                    if by_identifier:
                        return products.product_identifier(store, p) or ""
                    return str(p["uuid"])
                items.sort(key=sort_key)
                body = search_after_envelope(base, API + path, req.args, items, sort_key, render)
            else:
                body = page_envelope(base, API + path, req.args, items, render,
                                     page_cap=PAGE_CAP)
        return json_response(body)
    return handler


def _find_product(app: App, key: str, by_identifier: bool) -> dict[str, Any]:
    store = app.store
    uid = store.identifiers.get(key) if by_identifier else key
    product = store.products.get(uid or "")
    if product is None:
        raise not_found(f'Product "{key}" does not exist or you do not have permission to '
                        "access it.")
    return product


def _product_get(by_identifier: bool) -> Callable[..., Response]:
    path = "/products" if by_identifier else "/products-uuid"

    def handler(app: App, req: Request, key: str) -> Response:
        with app.store.lock:
            product = _find_product(app, key, by_identifier)
            data = products.render_product(app.store, product, by_identifier, req.args)
        return json_response({"_links": {"self": {"href": f"{app.base_url(req)}{API}{path}/"
                                                  f"{key}"}}, **data})
    return handler


def _product_patch(by_identifier: bool) -> Callable[..., Response]:
    path = "/products" if by_identifier else "/products-uuid"

    def handler(app: App, req: Request, key: str) -> Response:
        body = read_object(req)
        with app.store.lock:
            if by_identifier:
                status, _ = products.upsert_product(app.store, body, identifier=key)
            else:
                status, _ = products.upsert_product(app.store, body, uuid=key)
        return empty(status, f"{app.base_url(req)}{API}{path}/{key}")
    return handler


def _product_post(by_identifier: bool) -> Callable[..., Response]:
    path = "/products" if by_identifier else "/products-uuid"

    def handler(app: App, req: Request) -> Response:
        body = read_object(req)
        with app.store.lock:
            if by_identifier:
                identifier = body.get("identifier")
                if not isinstance(identifier, str) or not identifier:
                    raise ApiError(422, "Validation failed.", errors=[{
                        "property": "identifier", "message": "This value should not be blank."}])
                products.upsert_product(app.store, body, identifier=identifier,
                                        create_only=True)
                key = identifier
            else:
                uid = body.get("uuid")
                if uid is None:
                    uid = products.new_uuid()
                _, key = products.upsert_product(app.store, body, uuid=uid, create_only=True)
        return empty(201, f"{app.base_url(req)}{API}{path}/{key}")
    return handler


def _product_delete(by_identifier: bool) -> Callable[..., Response]:
    def handler(app: App, req: Request, key: str) -> Response:
        with app.store.lock:
            product = _find_product(app, key, by_identifier)
            products.delete_product(app.store, product["uuid"])
        return empty(204)
    return handler


def _product_batch(by_identifier: bool) -> Callable[..., Response]:
    key = "identifier" if by_identifier else "uuid"
    missing = "Identifier is missing." if by_identifier else "Uuid is missing."

    def handler(app: App, req: Request) -> Response:
        store = app.store

        def one(item: dict[str, Any]) -> int:
            if by_identifier:
                status, _ = products.upsert_product(store, item, identifier=item["identifier"])
            else:
                status, _ = products.upsert_product(store, item, uuid=item["uuid"])
            return status
        # One batch at a time, whole: see ``batch_lock``.
        with batch_lock(store, req):
            response, lines = ndjson_batch(req, key, one, missing)
        req.environ["sandbox.lines"] = lines
        return response
    return handler


# -- product models -------------------------------------------------------------------------
def list_models(app: App, req: Request) -> Response:
    """GET /product-models (page or search_after)."""
    store = app.store
    base = app.base_url(req)
    ptype = pagination_type(req.args, ("page", "search_after"))
    with store.lock:
        checks = _build_checks(store, req.args, "product_model", True)
        items = [m for m in store.product_models.values() if all(c(m) for c in checks)]

        def render(model: dict[str, Any]) -> dict[str, Any]:
            return {"_links": {"self": {"href": f"{base}{API}/product-models/{model['code']}"}},
                    **products.render_model(store, model, req.args)}

        if ptype == "search_after":
            items.sort(key=lambda m: m["code"])
            body = search_after_envelope(base, API + "/product-models", req.args, items,
                                         lambda m: m["code"], render)
        else:
            body = page_envelope(base, API + "/product-models", req.args, items, render,
                                 page_cap=PAGE_CAP)
    return json_response(body)


def get_model(app: App, req: Request, code: str) -> Response:
    """GET /product-models/{code}."""
    with app.store.lock:
        model = app.store.product_models.get(code)
        if model is None:
            raise not_found(f'Product model "{code}" does not exist or you do not have '
                            "permission to access it.")
        data = products.render_model(app.store, model, req.args)
    return json_response({"_links": {"self": {"href": f"{app.base_url(req)}{API}/product-models/"
                                              f"{code}"}}, **data})


def patch_model(app: App, req: Request, code: str) -> Response:
    """PATCH /product-models/{code} (upsert)."""
    body = read_object(req)
    with app.store.lock:
        status = products.upsert_model(app.store, code, body)
    return empty(status, f"{app.base_url(req)}{API}/product-models/{code}")


def post_model(app: App, req: Request) -> Response:
    """POST /product-models (create)."""
    body = read_object(req)
    code = body.get("code")
    if not isinstance(code, str) or not code:
        raise ApiError(422, "Validation failed.", errors=[{
            "property": "code", "message": "This value should not be blank."}])
    with app.store.lock:
        products.upsert_model(app.store, code, body, create_only=True)
    return empty(201, f"{app.base_url(req)}{API}/product-models/{code}")


def batch_models(app: App, req: Request) -> Response:
    """PATCH /product-models: NDJSON batch."""
    store = app.store

    def one(item: dict[str, Any]) -> int:
        return products.upsert_model(store, item["code"], item)
    with batch_lock(store, req):
        response, lines = ndjson_batch(req, "code", one)
    req.environ["sandbox.lines"] = lines
    return response


def _routes() -> list[Route]:
    routes: list[Route] = []
    for by_identifier, path, stem in ((False, "/products-uuid", "pim_api_product_uuid"),
                                      (True, "/products", "pim_api_product")):
        routes += [
            Route(API + path, f"{stem}_list", ("GET",), _product_list(by_identifier)),
            Route(API + path, f"{stem}_create", ("POST",), _product_post(by_identifier)),
            Route(API + path, f"{stem}_partial_update_list", ("PATCH",),
                  _product_batch(by_identifier)),
            Route(API + path + "/<key>", f"{stem}_get", ("GET",), _product_get(by_identifier)),
            Route(API + path + "/<key>", f"{stem}_partial_update", ("PATCH",),
                  _product_patch(by_identifier)),
            Route(API + path + "/<key>", f"{stem}_delete", ("DELETE",),
                  _product_delete(by_identifier)),
        ]
    pm = API + "/product-models"
    routes += [
        Route(pm, "pim_api_product_model_list", ("GET",), list_models),
        Route(pm, "pim_api_product_model_create", ("POST",), post_model),
        Route(pm, "pim_api_product_model_partial_update_list", ("PATCH",), batch_models),
        Route(pm + "/<code>", "pim_api_product_model_get", ("GET",), get_model),
        Route(pm + "/<code>", "pim_api_product_model_partial_update", ("PATCH",), patch_model),
    ]
    return routes


ROUTES = _routes()
