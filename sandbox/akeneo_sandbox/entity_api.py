"""Reference entity and Asset Manager endpoints (Enterprise Edition: 404 on Community)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from . import entities
from .errors import not_found
from .http import empty, json_array_batch, json_response, read_object
from .listing import (
    SEARCH_AFTER_ONLY_LIMIT,
    apply_filters,
    code_filter,
    compare_dates,
    parse_search,
    search_after_envelope,
)
from .routing import Route

if TYPE_CHECKING:
    from collections.abc import Callable

    from werkzeug.wrappers import Request, Response

    from .server import App
    from .store import Store

API = "/api/rest/v1"
RE = API + "/reference-entities"
AF = API + "/asset-families"
Table = dict[str, dict[str, Any]]


def _self(base: str, path: str, item: dict[str, Any]) -> dict[str, Any]:
    return {"_links": {"self": {"href": f"{base}{path}"}}, **item}


def _search_after_list(app: App, req: Request, path: str, items: list[dict[str, Any]],
                       render: Callable[[dict[str, Any]], dict[str, Any]]) -> Response:
    base = app.base_url(req)
    items = sorted(items, key=lambda i: i["code"])
    body = search_after_envelope(base, path, req.args, items, lambda i: i["code"], render,
                                 limit=SEARCH_AFTER_ONLY_LIMIT, explicit_type=False)
    return json_response(body)


def _valued_filters(items: list[dict[str, Any]], req: Request) -> list[dict[str, Any]]:
    search = parse_search(req.args)
    return apply_filters(items, search, {
        "code": lambda i, op, v: code_filter(i["code"], op, v),
        "updated": lambda i, op, v: compare_dates(_moment(i["updated"]), op, v, iso=True),
    })


def _moment(text: str) -> Any:
    return datetime.fromisoformat(text)


# -- generic pieces -------------------------------------------------------------------------
def _parent(table: Table, code: str, label: str) -> dict[str, Any]:
    item = table.get(code)
    if item is None:
        raise not_found(f'{label} "{code}" does not exist.')
    return item


class _Family:
    """Routes shared by reference entities and asset families."""

    def __init__(  # noqa: PLR0917 - two module-level instances
        self, root: str, label: str, name: str, parents: Callable[[Store], Table],
                 attributes: Callable[[Store], dict[str, Table]],
                 options: Callable[[Store], dict[tuple[str, str], Table]],
                 children: Callable[[Store], dict[str, Table]], child_path: str,
                 child_label: str) -> None:
        self.root, self.label, self.name = root, label, name
        self.parents, self.attributes, self.options = parents, attributes, options
        self.children, self.child_path, self.child_label = children, child_path, child_label

    # upserts differ per family kind
    upsert_parent: Callable[[Store, str, dict[str, Any]], int]
    upsert_attribute: Callable[[Store, str, str, dict[str, Any]], int]
    upsert_option: Callable[[Store, str, str, str, dict[str, Any]], int]
    upsert_child: Callable[..., int]

    def list_parents(self, app: App, req: Request) -> Response:
        base = app.base_url(req)
        with app.store.lock:
            items = [dict(i) for i in self.parents(app.store).values()]
        return _search_after_list(app, req, self.root, items,
                                  lambda i: _self(base, f"{self.root}/{i['code']}", i))

    def get_parent(self, app: App, req: Request, code: str) -> Response:
        with app.store.lock:
            item = dict(_parent(self.parents(app.store), code, self.label))
        return json_response(_self(app.base_url(req), f"{self.root}/{code}", item))

    def patch_parent(self, app: App, req: Request, code: str) -> Response:
        body = read_object(req)
        with app.store.lock:
            status = type(self).upsert_parent(app.store, code, body)
        return empty(status, f"{app.base_url(req)}{self.root}/{code}")

    def list_attributes(self, app: App, req: Request, parent: str) -> Response:
        with app.store.lock:
            _parent(self.parents(app.store), parent, self.label)
            items = [dict(a) for a in self.attributes(app.store).get(parent, {}).values()]
        return json_response(items)

    def get_attribute(self, app: App, req: Request, parent: str, code: str) -> Response:
        with app.store.lock:
            _parent(self.parents(app.store), parent, self.label)
            item = dict(_parent(self.attributes(app.store).get(parent, {}), code, "Attribute"))
        return json_response(item)

    def patch_attribute(self, app: App, req: Request, parent: str, code: str) -> Response:
        body = read_object(req)
        with app.store.lock:
            status = type(self).upsert_attribute(app.store, parent, code, body)
        return empty(status, f"{app.base_url(req)}{self.root}/{parent}/attributes/{code}")

    def list_options(self, app: App, req: Request, parent: str, attribute: str) -> Response:
        with app.store.lock:
            _parent(self.parents(app.store), parent, self.label)
            _parent(self.attributes(app.store).get(parent, {}), attribute, "Attribute")
            items = [dict(o) for o in self.options(app.store).get((parent, attribute),
                                                                  {}).values()]
        return json_response(items)

    def get_option(self, app: App, req: Request, parent: str, attribute: str,
                   code: str) -> Response:
        with app.store.lock:
            _parent(self.attributes(app.store).get(parent, {}), attribute, "Attribute")
            item = dict(_parent(self.options(app.store).get((parent, attribute), {}), code,
                                "Option"))
        return json_response(item)

    def patch_option(self, app: App, req: Request, parent: str, attribute: str,
                     code: str) -> Response:
        body = read_object(req)
        with app.store.lock:
            status = type(self).upsert_option(app.store, parent, attribute, code, body)
        return empty(status, f"{app.base_url(req)}{self.root}/{parent}/attributes/{attribute}/"
                     f"options/{code}")

    def list_children(self, app: App, req: Request, parent: str) -> Response:
        base = app.base_url(req)
        with app.store.lock:
            _parent(self.parents(app.store), parent, self.label)
            items = _valued_filters([dict(c) for c in
                                     self.children(app.store).get(parent, {}).values()], req)
        path = f"{self.root}/{parent}/{self.child_path}"
        return _search_after_list(app, req, path, items,
                                  lambda i: _self(base, f"{path}/{i['code']}", i))

    def get_child(self, app: App, req: Request, parent: str, code: str) -> Response:
        with app.store.lock:
            _parent(self.parents(app.store), parent, self.label)
            item = dict(_parent(self.children(app.store).get(parent, {}), code,
                                self.child_label))
        path = f"{self.root}/{parent}/{self.child_path}/{code}"
        return json_response(_self(app.base_url(req), path, item))

    def patch_child(self, app: App, req: Request, parent: str, code: str) -> Response:
        body = read_object(req)
        with app.store.lock:
            status = type(self).upsert_child(app.store, parent, code, body, check_media=True)
        return empty(status, f"{app.base_url(req)}{self.root}/{parent}/{self.child_path}/{code}")

    def batch_children(self, app: App, req: Request, parent: str) -> Response:
        with app.store.lock:
            _parent(self.parents(app.store), parent, self.label)

        def one(item: dict[str, Any]) -> int:
            with app.store.lock:
                return type(self).upsert_child(app.store, parent, item["code"], item,
                                               check_media=True)
        response, lines = json_array_batch(req, one)
        req.environ["sandbox.lines"] = lines
        return response

    def delete_child(self, app: App, req: Request, parent: str, code: str) -> Response:
        with app.store.lock:
            table = self.children(app.store).get(parent, {})
            _parent(table, code, self.child_label)
            del table[code]
        return empty(204)

    def routes(self, with_delete: bool) -> list[Route]:
        r, n = self.root, self.name
        attrs = r + "/<parent>/attributes"
        opts = attrs + "/<attribute>/options"
        kids = f"{r}/<parent>/{self.child_path}"
        child = self.child_path.rstrip("s")
        out = [
            Route(r, f"pim_api_{n}_list", ("GET",), self.list_parents, "ee"),
            Route(r + "/<code>", f"pim_api_{n}_get", ("GET",), self.get_parent, "ee"),
            Route(r + "/<code>", f"pim_api_{n}_partial_update", ("PATCH",), self.patch_parent,
                  "ee"),
            Route(attrs, f"pim_api_{n}_attribute_list", ("GET",), self.list_attributes, "ee"),
            Route(attrs + "/<code>", f"pim_api_{n}_attribute_get", ("GET",), self.get_attribute,
                  "ee"),
            Route(attrs + "/<code>", f"pim_api_{n}_attribute_partial_update", ("PATCH",),
                  self.patch_attribute, "ee"),
            Route(opts, f"pim_api_{n}_attribute_option_list", ("GET",), self.list_options, "ee"),
            Route(opts + "/<code>", f"pim_api_{n}_attribute_option_get", ("GET",),
                  self.get_option, "ee"),
            Route(opts + "/<code>", f"pim_api_{n}_attribute_option_partial_update", ("PATCH",),
                  self.patch_option, "ee"),
            Route(kids, f"pim_api_{n}_{child}_list", ("GET",), self.list_children, "ee"),
            Route(kids, f"pim_api_{n}_{child}_partial_update_list", ("PATCH",),
                  self.batch_children, "ee"),
            Route(kids + "/<code>", f"pim_api_{n}_{child}_get", ("GET",), self.get_child, "ee"),
            Route(kids + "/<code>", f"pim_api_{n}_{child}_partial_update", ("PATCH",),
                  self.patch_child, "ee"),
        ]
        if with_delete:
            out.append(Route(kids + "/<code>", f"pim_api_{n}_{child}_delete", ("DELETE",),
                             self.delete_child, "ee"))
        return out


class _ReferenceEntities(_Family):
    upsert_parent = staticmethod(entities.upsert_reference_entity)
    upsert_attribute = staticmethod(entities.upsert_re_attribute)
    upsert_option = staticmethod(entities.upsert_re_option)
    upsert_child = staticmethod(entities.upsert_record)


class _AssetFamilies(_Family):
    upsert_parent = staticmethod(entities.upsert_asset_family)
    upsert_attribute = staticmethod(entities.upsert_asset_attribute)
    upsert_option = staticmethod(entities.upsert_asset_option)
    upsert_child = staticmethod(entities.upsert_asset)


REFERENCE_ENTITIES = _ReferenceEntities(
    RE, "Reference entity", "reference_entity", lambda s: s.reference_entities,
    lambda s: s.re_attributes, lambda s: s.re_options, lambda s: s.re_records, "records",
    "Record")
ASSET_FAMILIES = _AssetFamilies(
    AF, "Asset family", "asset_family", lambda s: s.asset_families,
    lambda s: s.asset_attributes, lambda s: s.asset_options, lambda s: s.assets, "assets",
    "Asset")

ROUTES: list[Route] = REFERENCE_ENTITIES.routes(False) + ASSET_FAMILIES.routes(True)
