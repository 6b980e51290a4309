"""Catalog structure endpoints: locales, currencies, channels, attributes, families, ..."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from . import structure
from .errors import not_found, validation_failed, violation
from .http import empty, json_array_batch, json_response, ndjson_batch, read_object
from .listing import (
    apply_filters,
    bool_filter,
    code_filter,
    compare_dates,
    page_envelope,
    parse_search,
    unsupported,
)
from .routing import Route
from .store import Store

if TYPE_CHECKING:
    from werkzeug.wrappers import Request, Response

    from .server import App

API = "/api/rest/v1"
ItemFilter = Callable[[Store, dict[str, Any], str, Any], bool]


@dataclass(frozen=True)
class Kind:
    """A code-keyed catalog resource and how to list, render and write it."""

    name: str                      # route name stem, e.g. "channel"
    path: str                      # collection path under /api/rest/v1
    label: str                     # what 404 messages call it
    table: Callable[[Store], dict[str, dict[str, Any]]]
    upsert: Callable[[Store, str, dict[str, Any]], int] | None = None
    filters: dict[str, ItemFilter] = field(default_factory=dict)
    render: Callable[[Store, dict[str, Any], Any], dict[str, Any]] | None = None
    order: Callable[[Store], list[dict[str, Any]]] | None = None
    searchable: bool = False


def _updated(kind: str) -> ItemFilter:
    def check(store: Store, item: dict[str, Any], op: str, value: Any) -> bool:
        return compare_dates(store.updated.get((kind, item["code"])), op, value)
    return check


def _code(store: Store, item: dict[str, Any], op: str, value: Any) -> bool:
    return code_filter(item["code"], op, value)


def _locale_render(store: Store, item: dict[str, Any], args: Any) -> dict[str, Any]:
    return {"code": item["code"], "enabled": item["code"] in store.enabled_locales}


def _currency_render(store: Store, item: dict[str, Any], args: Any) -> dict[str, Any]:
    out = {"code": item["code"], "enabled": item["code"] in store.enabled_currencies}
    if "label" in item:
        out["label"] = item["label"]
    return out


def _attribute_render(store: Store, item: dict[str, Any], args: Any) -> dict[str, Any]:
    group = store.attribute_groups.get(item.get("group") or "")
    out = dict(item)
    out["group_labels"] = dict(group["labels"]) if group else {}
    config = out.get("table_configuration")
    if config and args.get("with_table_select_options") != "true":
        # Akeneo lists select-column options only when asked to.
        out["table_configuration"] = [{k: v for k, v in col.items() if k != "options"}
                                      for col in config]
    return out


def _group_render(store: Store, item: dict[str, Any], args: Any) -> dict[str, Any]:
    out = dict(item)
    out["attributes"] = structure.group_attributes(store, item["code"])
    return out


def _enabled_locale(store: Store, item: dict[str, Any], op: str, value: Any) -> bool:
    return bool_filter(item["code"] in store.enabled_locales, op, value, "enabled")


def _enabled_currency(store: Store, item: dict[str, Any], op: str, value: Any) -> bool:
    return bool_filter(item["code"] in store.enabled_currencies, op, value, "enabled")


def _attr_type(store: Store, item: dict[str, Any], op: str, value: Any) -> bool:
    if op not in ("IN", "NOT IN"):
        raise unsupported("type", op)
    return code_filter(item["type"], op, value, "type")


def _has_products(store: Store, item: dict[str, Any], op: str, value: Any) -> bool:
    used = any(p.get("family") == item["code"] for p in store.products.values())
    return bool_filter(used, op, value, "has_products")


def _is_root(store: Store, item: dict[str, Any], op: str, value: Any) -> bool:
    return bool_filter(item.get("parent") is None, op, value, "is_root")


def _parent(store: Store, item: dict[str, Any], op: str, value: Any) -> bool:
    if op != "=":
        raise unsupported("parent", op)
    return bool(item.get("parent") == value)


KINDS = [
    Kind("locale", "/locales", "Locale", lambda s: s.locales,
         filters={"enabled": _enabled_locale}, render=_locale_render, searchable=True),
    Kind("currency", "/currencies", "Currency", lambda s: s.currencies,
         filters={"enabled": _enabled_currency}, render=_currency_render, searchable=True),
    Kind("channel", "/channels", "Channel", lambda s: s.channels, structure.upsert_channel),
    Kind("attribute_group", "/attribute-groups", "Attribute group",
         lambda s: s.attribute_groups, structure.upsert_attribute_group,
         filters={"code": _code, "updated": _updated("attribute_group")},
         render=_group_render, searchable=True,
         order=lambda s: sorted(s.attribute_groups.values(),
                                key=lambda g: (g.get("sort_order") or 0, g["code"]))),
    Kind("attribute", "/attributes", "Attribute", lambda s: s.attributes,
         structure.upsert_attribute,
         filters={"code": _code, "updated": _updated("attribute"), "type": _attr_type},
         render=_attribute_render, searchable=True),
    Kind("family", "/families", "Family", lambda s: s.families, structure.upsert_family,
         filters={"code": _code, "updated": _updated("family"), "has_products": _has_products},
         searchable=True),
    Kind("category", "/categories", "Category", lambda s: s.categories,
         structure.upsert_category,
         filters={"code": _code, "updated": _updated("category"), "is_root": _is_root,
                  "parent": _parent},
         order=lambda s: s.category_tree_order(), searchable=True),
    Kind("association_type", "/association-types", "Association type",
         lambda s: s.association_types, structure.upsert_association_type),
]


def _self(app_base: str, path: str, item: dict[str, Any]) -> dict[str, Any]:
    return {"_links": {"self": {"href": f"{app_base}{API}{path}"}}, **item}


def _bind(store: Store, fn: ItemFilter) -> Callable[[Any, str, Any], bool]:
    return lambda item, op, value: fn(store, item, op, value)


def _list_handler(kind: Kind) -> Callable[..., Response]:
    def handler(app: App, req: Request) -> Response:
        store = app.store
        with store.lock:
            items = kind.order(store) if kind.order else list(kind.table(store).values())
            if kind.searchable:
                search = parse_search(req.args)
                checks = {prop: _bind(store, fn) for prop, fn in kind.filters.items()}
                items = apply_filters(items, search, checks)
            base = app.base_url(req)

            def render(item: dict[str, Any]) -> dict[str, Any]:
                data = kind.render(store, item, req.args) if kind.render else dict(item)
                return _self(base, f"{kind.path}/{item['code']}", data)

            body = page_envelope(base, API + kind.path, req.args, items, render)
        return json_response(body)
    return handler


def _get_handler(kind: Kind) -> Callable[..., Response]:
    def handler(app: App, req: Request, code: str) -> Response:
        store = app.store
        with store.lock:
            item = kind.table(store).get(code)
            if item is None:
                raise not_found(f'{kind.label} "{code}" does not exist.')
            data = kind.render(store, item, req.args) if kind.render else dict(item)
        return json_response(_self(app.base_url(req), f"{kind.path}/{code}", data))
    return handler


def _patch_handler(kind: Kind) -> Callable[..., Response]:
    assert kind.upsert is not None  # noqa: S101 - table built below
    upsert = kind.upsert

    def handler(app: App, req: Request, code: str) -> Response:
        body = read_object(req)
        with app.store.lock:
            status = upsert(app.store, code, body)
        return empty(status, f"{app.base_url(req)}{API}{kind.path}/{code}")
    return handler


def _post_handler(kind: Kind) -> Callable[..., Response]:
    assert kind.upsert is not None  # noqa: S101 - table built below
    upsert = kind.upsert

    def handler(app: App, req: Request) -> Response:
        body = read_object(req)
        code = body.get("code")
        if not isinstance(code, str) or not code:
            raise validation_failed([violation("code", "This value should not be blank.")])
        with app.store.lock:
            if code in kind.table(app.store):
                raise validation_failed([violation("code", "This value is already used.")])
            upsert(app.store, code, body)
        return empty(201, f"{app.base_url(req)}{API}{kind.path}/{code}")
    return handler


def _batch_handler(kind: Kind) -> Callable[..., Response]:
    assert kind.upsert is not None  # noqa: S101 - table built below
    upsert = kind.upsert

    def handler(app: App, req: Request) -> Response:
        def one(item: dict[str, Any]) -> int:
            with app.store.lock:
                return upsert(app.store, item["code"], item)
        response, lines = ndjson_batch(req, "code", one)
        req.environ["sandbox.lines"] = lines
        return response
    return handler


# -- nested: attribute options and family variants -------------------------------------------
def _options_table(app: App, attribute: str) -> dict[str, dict[str, Any]]:
    if attribute not in app.store.attributes:
        raise not_found(f'Attribute "{attribute}" does not exist.')
    return app.store.options.get(attribute, {})


def list_options(app: App, req: Request, attribute: str) -> Response:
    """GET /attributes/{attribute}/options (paginated, sorted by sort order)."""
    base = app.base_url(req)
    with app.store.lock:
        items = sorted(_options_table(app, attribute).values(),
                       key=lambda o: (o.get("sort_order") or 0, o["code"]))
        path = f"{API}/attributes/{attribute}/options"
        body = page_envelope(base, path, req.args, items,
                             lambda o: _self(base, f"/attributes/{attribute}/options/{o['code']}",
                                             dict(o)))
    return json_response(body)


def get_option(app: App, req: Request, attribute: str, code: str) -> Response:
    """GET one attribute option."""
    with app.store.lock:
        option = _options_table(app, attribute).get(code)
        if option is None:
            raise not_found(f'Attribute option "{attribute}.{code}" does not exist.')
        data = dict(option)
    return json_response(_self(app.base_url(req), f"/attributes/{attribute}/options/{code}", data))


def patch_option(app: App, req: Request, attribute: str, code: str) -> Response:
    """PATCH one attribute option (upsert)."""
    app.faults.check_option_rate()
    body = read_object(req)
    with app.store.lock:
        status = structure.upsert_option(app.store, attribute, code, body)
    return empty(status, f"{app.base_url(req)}{API}/attributes/{attribute}/options/{code}")


def post_option(app: App, req: Request, attribute: str) -> Response:
    """POST one attribute option (create only)."""
    app.faults.check_option_rate()
    body = read_object(req)
    code = body.get("code")
    if not isinstance(code, str) or not code:
        raise validation_failed([violation("code", "This value should not be blank.")])
    with app.store.lock:
        if code in _options_table(app, attribute):
            raise validation_failed([violation("code", "This value is already used.")])
        structure.upsert_option(app.store, attribute, code, body)
    return empty(201, f"{app.base_url(req)}{API}/attributes/{attribute}/options/{code}")


def batch_options(app: App, req: Request, attribute: str) -> Response:
    """PATCH /attributes/{attribute}/options: NDJSON batch for one attribute."""
    app.faults.check_option_rate()
    with app.store.lock:
        _options_table(app, attribute)

    def one(item: dict[str, Any]) -> int:
        with app.store.lock:
            return structure.upsert_option(app.store, attribute, item["code"], item)
    response, lines = ndjson_batch(req, "code", one)
    req.environ["sandbox.lines"] = lines
    return response


def _variants_table(app: App, family: str) -> dict[str, dict[str, Any]]:
    if family not in app.store.families:
        raise not_found(f'Family "{family}" does not exist.')
    return app.store.family_variants.get(family, {})


def list_variants(app: App, req: Request, family: str) -> Response:
    """GET /families/{family}/variants."""
    base = app.base_url(req)
    with app.store.lock:
        items = list(_variants_table(app, family).values())
        body = page_envelope(base, f"{API}/families/{family}/variants", req.args, items,
                             lambda v: _self(base, f"/families/{family}/variants/{v['code']}",
                                             dict(v)))
    return json_response(body)


def get_variant(app: App, req: Request, family: str, code: str) -> Response:
    """GET one family variant."""
    with app.store.lock:
        variant = _variants_table(app, family).get(code)
        if variant is None:
            raise not_found(f'Family variant "{code}" does not exist or is not a variant of the '
                            f'family "{family}".')
        data = dict(variant)
    return json_response(_self(app.base_url(req), f"/families/{family}/variants/{code}", data))


def patch_variant(app: App, req: Request, family: str, code: str) -> Response:
    """PATCH one family variant (upsert)."""
    body = read_object(req)
    with app.store.lock:
        status = structure.upsert_family_variant(app.store, family, code, body)
    return empty(status, f"{app.base_url(req)}{API}/families/{family}/variants/{code}")


def post_variant(app: App, req: Request, family: str) -> Response:
    """POST one family variant (create only)."""
    body = read_object(req)
    code = body.get("code")
    if not isinstance(code, str) or not code:
        raise validation_failed([violation("code", "This value should not be blank.")])
    with app.store.lock:
        if code in _variants_table(app, family):
            raise validation_failed([violation("code", "This value is already used.")])
        structure.upsert_family_variant(app.store, family, code, body)
    return empty(201, f"{app.base_url(req)}{API}/families/{family}/variants/{code}")


def batch_variants(app: App, req: Request, family: str) -> Response:
    """PATCH /families/{family}/variants: NDJSON batch."""
    with app.store.lock:
        _variants_table(app, family)

    def one(item: dict[str, Any]) -> int:
        with app.store.lock:
            return structure.upsert_family_variant(app.store, family, item["code"], item)
    response, lines = ndjson_batch(req, "code", one)
    req.environ["sandbox.lines"] = lines
    return response


# -- measurement families -------------------------------------------------------------------
def list_measurement_families(app: App, req: Request) -> Response:
    """GET /measurement-families: a plain array, no envelope."""
    with app.store.lock:
        items = [dict(f) for f in app.store.measurement_families.values()]
    return json_response(items)


def batch_measurement_families(app: App, req: Request) -> Response:
    """PATCH /measurement-families: JSON array batch."""
    def one(item: dict[str, Any]) -> int:
        with app.store.lock:
            return structure.upsert_measurement_family(app.store, item["code"], item)
    response, lines = json_array_batch(req, one)
    req.environ["sandbox.lines"] = lines
    return response


def system_information(app: App, req: Request) -> Response:
    """GET /system-information: the PIM version and edition (6.0+)."""
    return json_response({"version": "7.0.0", "edition": app.edition.upper()})


def _routes() -> list[Route]:
    routes: list[Route] = [Route(API + "/system-information", "pim_api_system_information_get",
                                 ("GET",), system_information)]
    for kind in KINDS:
        stem = f"pim_api_{kind.name}"
        routes.append(Route(API + kind.path, f"{stem}_list", ("GET",), _list_handler(kind)))
        routes.append(Route(API + kind.path + "/<code>", f"{stem}_get", ("GET",),
                            _get_handler(kind)))
        if kind.upsert is not None:
            routes.append(Route(API + kind.path, f"{stem}_create", ("POST",),
                                _post_handler(kind)))
            routes.append(Route(API + kind.path, f"{stem}_partial_update_list", ("PATCH",),
                                _batch_handler(kind)))
            routes.append(Route(API + kind.path + "/<code>", f"{stem}_partial_update",
                                ("PATCH",), _patch_handler(kind)))
    opt = API + "/attributes/<attribute>/options"
    var = API + "/families/<family>/variants"
    routes += [
        Route(opt, "pim_api_attribute_option_list", ("GET",), list_options),
        Route(opt, "pim_api_attribute_option_create", ("POST",), post_option),
        Route(opt, "pim_api_attribute_option_partial_update_list", ("PATCH",), batch_options),
        Route(opt + "/<code>", "pim_api_attribute_option_get", ("GET",), get_option),
        Route(opt + "/<code>", "pim_api_attribute_option_partial_update", ("PATCH",),
              patch_option),
        Route(var, "pim_api_family_variant_list", ("GET",), list_variants),
        Route(var, "pim_api_family_variant_create", ("POST",), post_variant),
        Route(var, "pim_api_family_variant_partial_update_list", ("PATCH",), batch_variants),
        Route(var + "/<code>", "pim_api_family_variant_get", ("GET",), get_variant),
        Route(var + "/<code>", "pim_api_family_variant_partial_update", ("PATCH",),
              patch_variant),
        Route(API + "/measurement-families", "pim_api_measurement_family_list", ("GET",),
              list_measurement_families),
        Route(API + "/measurement-families", "pim_api_measurement_family_partial_update_list",
              ("PATCH",), batch_measurement_families),
    ]
    return routes


ROUTES = _routes()
