"""Static integrity rules of a catalog directory, by Akeneo's rules.

`check_catalog(path)` returns a list of human-readable problems (empty when the catalog is
valid). It reads the catalog format of docs/ARCHITECTURE.md only, never the sandbox, so it
checks the demo catalog and generated catalogs independently of the server that loads them.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from importlib import resources
from pathlib import Path
from typing import Any

CODE_RE = re.compile(r"^[A-Za-z0-9_]+$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}([+-]\d{2}:\d{2}|Z)?)?$")
DECIMAL_RE = re.compile(r"^-?\d+(\.\d+)?$")

FILES = [
    "locales",
    "currencies",
    "measurement_families",
    "channels",
    "attribute_groups",
    "attributes",
    "attribute_options",
    "families",
    "family_variants",
    "categories",
    "association_types",
    "reference_entities",
    "reference_entity_attributes",
    "reference_entity_attribute_options",
    "reference_entity_records",
    "asset_families",
    "asset_family_attributes",
    "assets",
    "product_models",
    "products",
]

KNOWN_TYPES = {
    "pim_catalog_identifier",
    "pim_catalog_text",
    "pim_catalog_textarea",
    "pim_catalog_number",
    "pim_catalog_boolean",
    "pim_catalog_date",
    "pim_catalog_simpleselect",
    "pim_catalog_multiselect",
    "pim_catalog_metric",
    "pim_catalog_price_collection",
    "pim_catalog_image",
    "pim_catalog_file",
    "pim_catalog_asset_collection",
    "akeneo_reference_entity",
    "akeneo_reference_entity_collection",
    "pim_catalog_table",
    "pim_reference_data_simpleselect",
    "pim_reference_data_multiselect",
    "pim_catalog_product_link",
}
OPTION_TYPES = {
    "pim_catalog_simpleselect",
    "pim_catalog_multiselect",
    "pim_reference_data_simpleselect",
    "pim_reference_data_multiselect",
}
AXIS_TYPES = {
    "pim_catalog_simpleselect",
    "pim_catalog_multiselect",
    "pim_catalog_boolean",
    "pim_catalog_metric",
    "pim_reference_data_simpleselect",
    "pim_reference_data_multiselect",
    "akeneo_reference_entity",
}
TABLE_COLUMN_TYPES = {
    "select",
    "text",
    "number",
    "boolean",
    "incremental_number",
    "reference_entity",
    "product_link",
    "measurement",
    "date",
}
RE_ATTRIBUTE_TYPES = {
    "text",
    "image",
    "number",
    "single_option",
    "multiple_options",
    "reference_entity_single_link",
    "reference_entity_multiple_links",
    "asset_collection",
}
ASSET_ATTRIBUTE_TYPES = {
    "text",
    "media_file",
    "media_link",
    "number",
    "single_option",
    "multiple_options",
    "boolean",
    "date",
    "record",
}


BASE_FILES = ("locales", "currencies", "measurement_families")


def base_data(name: str) -> list[dict[str, Any]]:
    """The sandbox's built-in locales, currencies or measurement families (the format's default)."""
    file = resources.files("akeneo_sandbox") / "data" / f"{name}.json"
    return json.loads(file.read_text(encoding="utf-8"))


def load_catalog(path: Path) -> dict[str, list[dict[str, Any]]]:
    """Every catalog file as a list of objects: [] when absent, base data for the base files."""
    out: dict[str, list[dict[str, Any]]] = {}
    for name in FILES:
        file = path / f"{name}.json"
        if file.exists():
            out[name] = json.loads(file.read_text(encoding="utf-8"))
        else:
            out[name] = base_data(name) if name in BASE_FILES else []
    return out


class _Checker:
    def __init__(self, cat: dict[str, list[dict[str, Any]]]) -> None:
        self.cat = cat
        self.problems: list[str] = []
        self.locales = {x["code"]: x for x in cat["locales"]}
        self.currencies = {x["code"]: x for x in cat["currencies"]}
        self.mfamilies = {x["code"]: x for x in cat["measurement_families"]}
        self.channels = {x["code"]: x for x in cat["channels"]}
        self.attributes = {x["code"]: x for x in cat["attributes"]}
        self.families = {x["code"]: x for x in cat["families"]}
        self.categories = {x["code"]: x for x in cat["categories"]}
        self.variants = {(x["family"], x["code"]): x for x in cat["family_variants"]}
        self.options: dict[str, set[str]] = defaultdict(set)
        for o in cat["attribute_options"]:
            self.options[o.get("attribute", "")].add(o.get("code", ""))
        self.records: dict[str, set[str]] = defaultdict(set)
        for r in cat["reference_entity_records"]:
            self.records[r.get("reference_entity", "")].add(r.get("code", ""))
        self.assets: dict[str, set[str]] = defaultdict(set)
        for a in cat["assets"]:
            self.assets[a.get("asset_family_code", "")].add(a.get("code", ""))
        self.models = {m["code"]: m for m in cat["product_models"]}
        # Akeneo: a locale (currency) is enabled when a channel uses it.
        self.enabled_locales = {loc for ch in cat["channels"] for loc in ch.get("locales", [])}
        self.enabled_currencies = {
            cur for ch in cat["channels"] for cur in ch.get("currencies", [])
        }

    def err(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    # ------------------------------------------------------------------ helpers
    def unique_codes(self, name: str, items: list[dict[str, Any]], key: str = "code") -> None:
        for code, n in Counter(str(i.get(key)) for i in items).items():
            if n > 1:
                self.err(name, f"code {code!r} appears {n} times")
        for i in items:
            code = i.get(key)
            if not isinstance(code, str) or not CODE_RE.match(code):
                self.err(name, f"invalid code {code!r}")

    def labels(self, where: str, item: dict[str, Any]) -> None:
        labels = item.get("labels")
        if not isinstance(labels, dict) or not labels.get("en_US"):
            self.err(where, "missing en_US label")
        elif any(loc not in self.locales for loc in labels):
            self.err(
                where, f"label locale not in locales: {sorted(set(labels) - set(self.locales))}"
            )

    # ------------------------------------------------------------------ structure
    def check_target_market(self) -> None:
        self.unique_codes("locales", self.cat["locales"])
        self.unique_codes("currencies", self.cat["currencies"])
        self.unique_codes("channels", self.cat["channels"])
        if not self.cat["channels"]:
            self.err("channels", "no channel")
        for ch in self.cat["channels"]:
            where = f"channel {ch['code']}"
            self.labels(where, ch)
            if not ch.get("locales"):
                self.err(where, "no locale")
            for loc in ch.get("locales", []):
                if loc not in self.locales:
                    self.err(where, f"unknown locale {loc}")
            if not ch.get("currencies"):
                self.err(where, "no currency")
            for cur in ch.get("currencies", []):
                if cur not in self.currencies:
                    self.err(where, f"unknown currency {cur}")
            tree = self.categories.get(ch.get("category_tree", ""))
            if tree is None or tree.get("parent") is not None:
                self.err(where, f"category_tree {ch.get('category_tree')!r} is not a root category")
            for attr_code, unit in (ch.get("conversion_units") or {}).items():
                a = self.attributes.get(attr_code)
                if a is None or a["type"] != "pim_catalog_metric":
                    self.err(where, f"conversion unit for non-metric attribute {attr_code}")
                elif unit not in self.mfamilies.get(a["metric_family"], {}).get("units", {}):
                    self.err(where, f"conversion unit {unit} not in {a['metric_family']}")
        for kind, items, enabled in (
            ("locale", self.locales, self.enabled_locales),
            ("currency", self.currencies, self.enabled_currencies),
        ):
            for code, item in items.items():
                flag = item.get("enabled", item.get("enable"))
                if flag is not None and flag != (code in enabled):
                    self.err(f"{kind} {code}", "`enabled` disagrees with channel usage")
        for mf in self.cat["measurement_families"]:
            units = mf.get("units", {})
            if mf.get("standard_unit_code") not in units:
                self.err(f"measurement family {mf.get('code')}", "standard unit not among units")

    def check_attributes(self) -> None:
        self.unique_codes("attribute_groups", self.cat["attribute_groups"])
        self.unique_codes("attributes", self.cat["attributes"])
        groups = {g["code"]: g for g in self.cat["attribute_groups"]}
        for g in self.cat["attribute_groups"]:
            self.labels(f"attribute group {g['code']}", g)
            if not isinstance(g.get("sort_order"), int):
                self.err(f"attribute group {g['code']}", "sort_order is not an integer")
            listed = set(g.get("attributes", []))
            actual = {a["code"] for a in self.cat["attributes"] if a.get("group") == g["code"]}
            if listed != actual:
                self.err(
                    f"attribute group {g['code']}",
                    f"attributes list differs from attributes' group: {sorted(listed ^ actual)}",
                )
        identifiers = [
            a for a in self.cat["attributes"] if a.get("type") == "pim_catalog_identifier"
        ]
        if len(identifiers) != 1:
            self.err("attributes", f"expected one identifier attribute, found {len(identifiers)}")
        for a in self.cat["attributes"]:
            self.check_attribute(a, groups)
        for o in self.cat["attribute_options"]:
            where = f"option {o.get('attribute')}.{o.get('code')}"
            a = self.attributes.get(o.get("attribute", ""))
            if a is None or a["type"] not in OPTION_TYPES:
                self.err(where, "attribute missing or has no options")
            self.labels(where, o)
        by_attribute: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for o in self.cat["attribute_options"]:
            by_attribute[o.get("attribute", "")].append(o)
        for attr_code, per_attr in by_attribute.items():
            self.unique_codes(f"options of {attr_code}", per_attr)

    def check_attribute(self, a: dict[str, Any], groups: dict[str, Any]) -> None:
        where = f"attribute {a['code']}"
        t = a.get("type")
        self.labels(where, a)
        if t not in KNOWN_TYPES:
            self.err(where, f"unknown type {t}")
        if a.get("group") not in groups:
            self.err(where, f"unknown group {a.get('group')}")
        for flag in ("scopable", "localizable", "unique"):
            if not isinstance(a.get(flag), bool):
                self.err(where, f"{flag} is not a boolean")
        for loc in a.get("available_locales") or []:
            if loc not in self.locales:
                self.err(where, f"available locale {loc} unknown")
        if a.get("available_locales") and not a.get("localizable"):
            self.err(where, "locale-specific but not localizable")
        if t == "pim_catalog_identifier" and (
            a.get("scopable") or a.get("localizable") or not a.get("unique")
        ):
            self.err(where, "identifier must be unique, non-scopable and non-localizable")
        if a.get("unique") and t not in {
            "pim_catalog_identifier",
            "pim_catalog_text",
            "pim_catalog_number",
            "pim_catalog_date",
        }:
            self.err(where, f"type {t} cannot be unique")
        if a.get("unique") and (a.get("scopable") or a.get("localizable")):
            self.err(where, "a unique attribute cannot be scopable or localizable")
        if (
            t == "pim_catalog_text"
            and a.get("max_characters") is not None
            and not (0 < a["max_characters"] <= 255)
        ):
            self.err(where, "text max_characters must be 1..255")
        if t == "pim_catalog_metric":
            mf = self.mfamilies.get(a.get("metric_family") or "")
            if mf is None:
                self.err(where, f"unknown metric family {a.get('metric_family')}")
            elif a.get("default_metric_unit") not in mf["units"]:
                self.err(where, f"default unit {a.get('default_metric_unit')} not in {mf['code']}")
        if t in {
            "pim_catalog_number",
            "pim_catalog_metric",
            "pim_catalog_price_collection",
        } and not isinstance(a.get("decimals_allowed"), bool):
            self.err(where, "decimals_allowed must be a boolean")
        if t in {"akeneo_reference_entity", "akeneo_reference_entity_collection"} and a.get(
            "reference_data_name"
        ) not in {r["code"] for r in self.cat["reference_entities"]}:
            self.err(where, f"unknown reference entity {a.get('reference_data_name')}")
        if t == "pim_catalog_asset_collection" and a.get("reference_data_name") not in {
            f["code"] for f in self.cat["asset_families"]
        }:
            self.err(where, f"unknown asset family {a.get('reference_data_name')}")
        if t in {"pim_reference_data_simpleselect", "pim_reference_data_multiselect"} and not a.get(
            "reference_data_name"
        ):
            self.err(where, "reference data attribute without reference_data_name")
        if t == "pim_catalog_table":
            cols = a.get("table_configuration") or []
            if len(cols) < 2 or cols[0].get("data_type") != "select":
                self.err(where, "a table needs at least 2 columns and a select first column")
            for col in cols:
                if col.get("data_type") not in TABLE_COLUMN_TYPES:
                    self.err(
                        where, f"column {col.get('code')} has unknown type {col.get('data_type')}"
                    )
                if col.get("data_type") == "select" and not col.get("options"):
                    self.err(where, f"select column {col.get('code')} has no options")
                self.labels(f"{where} column {col.get('code')}", col)
        if t in OPTION_TYPES and not self.options.get(a["code"]):
            self.err(where, "select attribute without options")

    def check_families(self) -> None:
        self.unique_codes("families", self.cat["families"])
        identifier = next(
            (c for c, a in self.attributes.items() if a["type"] == "pim_catalog_identifier"), None
        )
        for f in self.cat["families"]:
            where = f"family {f['code']}"
            self.labels(where, f)
            attrs = set(f.get("attributes", []))
            for code in attrs - set(self.attributes):
                self.err(where, f"unknown attribute {code}")
            if identifier and identifier not in attrs:
                self.err(where, "identifier attribute missing")
            label = self.attributes.get(f.get("attribute_as_label") or "")
            if (
                label is None
                or label["code"] not in attrs
                or label["type"] not in {"pim_catalog_text", "pim_catalog_identifier"}
            ):
                self.err(
                    where,
                    f"attribute_as_label {f.get('attribute_as_label')!r} must be a text or "
                    f"identifier attribute of the family",
                )
            image = f.get("attribute_as_image")
            if image is not None and (
                image not in attrs
                or self.attributes.get(image, {}).get("type")
                not in {"pim_catalog_image", "pim_catalog_asset_collection"}
            ):
                self.err(
                    where,
                    f"attribute_as_image {image!r} must be an image or asset collection "
                    "of the family",
                )
            for ch, req in (f.get("attribute_requirements") or {}).items():
                if ch not in self.channels:
                    self.err(where, f"requirements for unknown channel {ch}")
                for code in set(req) - attrs:
                    self.err(where, f"required attribute {code} ({ch}) not in the family")
                if identifier and identifier not in req:
                    self.err(where, f"identifier not required on {ch}")
        for fv in self.cat["family_variants"]:
            self.check_family_variant(fv)

    def check_family_variant(self, fv: dict[str, Any]) -> None:
        where = f"family variant {fv.get('family')}/{fv.get('code')}"
        self.labels(where, fv)
        fam = self.families.get(fv.get("family", ""))
        if fam is None:
            self.err(where, "unknown family")
            return
        sets = fv.get("variant_attribute_sets") or []
        levels = [s.get("level") for s in sets]
        if levels not in ([1], [1, 2]):
            self.err(where, f"levels must be [1] or [1, 2], got {levels}")
        seen: set[str] = set()
        for s in sets:
            axes, attrs = s.get("axes") or [], set(s.get("attributes") or [])
            if not 1 <= len(axes) <= 5:
                self.err(where, f"level {s.get('level')} needs 1 to 5 axes")
            for code in attrs - set(fam["attributes"]):
                self.err(where, f"level {s.get('level')} attribute {code} not in the family")
            for code in attrs & seen:
                self.err(where, f"attribute {code} on two levels")
            seen |= attrs
            for axis in axes:
                a = self.attributes.get(axis)
                if axis not in attrs:
                    self.err(where, f"axis {axis} not among its level's attributes")
                if a is None or a["type"] not in AXIS_TYPES:
                    self.err(
                        where, f"axis {axis} must be a select, boolean, metric or reference data"
                    )
                elif a.get("scopable") or a.get("localizable") or a.get("available_locales"):
                    self.err(
                        where,
                        f"axis {axis} must be non-scopable, non-localizable, not locale-specific",
                    )
        if sets:
            last = set(sets[-1].get("attributes") or [])
            for code in fam["attributes"]:
                a = self.attributes.get(code, {})
                if (
                    a.get("unique") or a.get("type") == "pim_catalog_identifier"
                ) and code not in last:
                    self.err(where, f"unique attribute {code} must be on the last level")

    def check_categories(self) -> None:
        self.unique_codes("categories", self.cat["categories"])
        seen: set[str] = set()
        for c in self.cat["categories"]:
            where = f"category {c['code']}"
            self.labels(where, c)
            if c.get("parent") is not None and c["parent"] not in seen:
                self.err(where, f"parent {c['parent']!r} missing or listed after its child")
            seen.add(c["code"])
        self.unique_codes("association_types", self.cat["association_types"])
        for t in self.cat["association_types"]:
            self.labels(f"association type {t['code']}", t)

    def category_depths(self) -> dict[str, int]:
        """Depth of each tree: 1 for a lone root."""
        depth: dict[str, int] = {}
        root: dict[str, str] = {}
        out: dict[str, int] = {}
        for c in self.cat["categories"]:
            p = c.get("parent")
            depth[c["code"]] = 1 if p is None else depth.get(p, 0) + 1
            root[c["code"]] = c["code"] if p is None else root.get(p, "?")
            out[root[c["code"]]] = max(out.get(root[c["code"]], 0), depth[c["code"]])
        return out

    # ------------------------------------------------------------------ EE entities
    def check_reference_entities(self) -> None:
        self.unique_codes("reference_entities", self.cat["reference_entities"])
        attrs: dict[tuple[str, str], dict[str, Any]] = {}
        for re_ in self.cat["reference_entities"]:
            self.labels(f"reference entity {re_['code']}", re_)
        for a in self.cat["reference_entity_attributes"]:
            where = f"reference entity attribute {a.get('reference_entity')}.{a.get('code')}"
            if a.get("reference_entity") not in {r["code"] for r in self.cat["reference_entities"]}:
                self.err(where, "unknown reference entity")
            if a.get("type") not in RE_ATTRIBUTE_TYPES:
                self.err(where, f"unknown type {a.get('type')}")
            self.labels(where, a)
            attrs[(a["reference_entity"], a["code"])] = a
        opts: dict[tuple[str, str], set[str]] = defaultdict(set)
        for o in self.cat["reference_entity_attribute_options"]:
            key = (o.get("reference_entity", ""), o.get("attribute", ""))
            if attrs.get(key, {}).get("type") not in {"single_option", "multiple_options"}:
                self.err(f"reference entity option {key}", "attribute missing or without options")
            opts[key].add(o["code"])
        self.unique_codes("reference_entity_records", self.cat["reference_entity_records"])
        for r in self.cat["reference_entity_records"]:
            self.check_record_values(
                f"record {r.get('reference_entity')}.{r.get('code')}",
                r.get("reference_entity", ""),
                r.get("values", {}),
                attrs,
                opts,
            )

    def check_record_values(
        self,
        where: str,
        owner: str,
        values: dict[str, Any],
        attrs: dict[tuple[str, str], dict[str, Any]],
        opts: dict[tuple[str, str], set[str]],
    ) -> None:
        for code, entries in values.items():
            a = attrs.get((owner, code))
            if a is None:
                self.err(where, f"unknown attribute {code}")
                continue
            for e in entries:
                if bool(a.get("value_per_locale")) != (e.get("locale") is not None):
                    self.err(where, f"{code}: locale does not match value_per_locale")
                if e.get("locale") is not None and e["locale"] not in self.enabled_locales:
                    self.err(where, f"{code}: locale {e['locale']} not enabled")
                if bool(a.get("value_per_channel")) != (e.get("channel") is not None):
                    self.err(where, f"{code}: channel does not match value_per_channel")
                data = e.get("data")
                if a["type"] == "single_option" and data not in opts[(owner, code)]:
                    self.err(where, f"{code}: unknown option {data!r}")
                if a["type"] == "multiple_options" and not set(data or []) <= opts[(owner, code)]:
                    self.err(where, f"{code}: unknown options {data!r}")
                if a["type"] == "number" and not (isinstance(data, str) and DECIMAL_RE.match(data)):
                    self.err(where, f"{code}: number must be a numeric string")

    def check_assets(self) -> None:
        self.unique_codes("asset_families", self.cat["asset_families"])
        attrs: dict[tuple[str, str], dict[str, Any]] = {}
        for a in self.cat["asset_family_attributes"]:
            where = f"asset attribute {a.get('asset_family')}.{a.get('code')}"
            if a.get("type") not in ASSET_ATTRIBUTE_TYPES:
                self.err(where, f"unknown type {a.get('type')}")
            self.labels(where, a)
            attrs[(a["asset_family"], a["code"])] = a
        for f in self.cat["asset_families"]:
            where = f"asset family {f['code']}"
            self.labels(where, f)
            main = attrs.get((f["code"], f.get("attribute_as_main_media") or ""))
            if main is None or main["type"] not in {"media_file", "media_link"}:
                self.err(
                    where, "attribute_as_main_media must be a media_file or media_link attribute"
                )
        for fam_code in {a.get("asset_family_code") for a in self.cat["assets"]}:
            if fam_code not in {f["code"] for f in self.cat["asset_families"]}:
                self.err("assets", f"unknown asset family {fam_code}")
            self.unique_codes(
                f"assets of {fam_code}",
                [a for a in self.cat["assets"] if a.get("asset_family_code") == fam_code],
            )
        for a in self.cat["assets"]:
            self.check_record_values(
                f"asset {a.get('code')}",
                a.get("asset_family_code", ""),
                a.get("values", {}),
                attrs,
                defaultdict(set),
            )

    # ------------------------------------------------------------------ products
    def check_products(self) -> None:
        self.unique_codes("product_models", self.cat["product_models"])
        ids = [p.get("identifier") for p in self.cat["products"]]
        for code, n in Counter(ids).items():
            if n > 1 or not code:
                self.err("products", f"identifier {code!r} missing or repeated")
        known_ids = set(ids)
        for m in self.cat["product_models"]:
            self.check_item(f"product model {m['code']}", m, is_model=True, known_ids=known_ids)
        for p in self.cat["products"]:
            self.check_item(
                f"product {p.get('identifier')}", p, is_model=False, known_ids=known_ids
            )
        self.check_unique_values()
        self.check_axis_combinations()

    def level_of(self, item: dict[str, Any], is_model: bool) -> tuple[dict[str, Any] | None, int]:
        """(family variant, level of the item): 0 for a root model, 1 or 2 below it."""
        if is_model:
            fv = self.variants.get((item.get("family", ""), item.get("family_variant", "")))
            return fv, 0 if item.get("parent") is None else 1
        parent = self.models.get(item.get("parent") or "")
        if parent is None:
            return None, 0
        fv = self.variants.get((parent.get("family", ""), parent.get("family_variant", "")))
        return fv, (1 if parent.get("parent") is None else 2)

    def check_item(
        self, where: str, item: dict[str, Any], *, is_model: bool, known_ids: set[str]
    ) -> None:
        fam = self.families.get(item.get("family") or "")
        if item.get("family") is not None and fam is None:
            self.err(where, f"unknown family {item.get('family')}")
        for c in item.get("categories", []):
            if c not in self.categories:
                self.err(where, f"unknown category {c}")
        allowed: set[str] | None = set(fam["attributes"]) if fam else None
        fv, level = self.level_of(item, is_model)
        if is_model or item.get("parent"):
            if fv is None:
                self.err(where, "family variant or parent missing")
            elif fam is None or fv["family"] != fam["code"]:
                self.err(where, "family differs from the family variant's family")
            else:
                self.check_parent(where, item, is_model, fv, level)
                sets = fv["variant_attribute_sets"]
                by_level = [set(s["attributes"]) for s in sets]
                common = set(fam["attributes"]).difference(*by_level)
                allowed = common if level == 0 else by_level[level - 1]
                if level:
                    for axis in sets[level - 1]["axes"]:
                        if axis not in item.get("values", {}):
                            self.err(where, f"missing value for axis {axis}")
        identifier = next(
            c for c, a in self.attributes.items() if a["type"] == "pim_catalog_identifier"
        )
        for code, entries in item.get("values", {}).items():
            a = self.attributes.get(code)
            if a is None:
                self.err(where, f"unknown attribute {code}")
                continue
            if code == identifier:
                self.err(
                    where, "identifier given in values (products.json carries it as `identifier`)"
                )
            if allowed is not None and code not in allowed:
                self.err(where, f"attribute {code} not allowed at this level of its family/variant")
            seen: set[tuple[Any, Any]] = set()
            for e in entries:
                key = (e.get("locale"), e.get("scope"))
                if key in seen:
                    self.err(where, f"{code}: duplicate value for {key}")
                seen.add(key)
                self.check_value(f"{where} {code}", a, e)
        for t, assoc in (item.get("associations") or {}).items():
            if t not in {x["code"] for x in self.cat["association_types"]}:
                self.err(where, f"unknown association type {t}")
            for ident in assoc.get("products", []):
                if ident not in known_ids:
                    self.err(where, f"association to unknown product {ident}")
            for code in assoc.get("product_models", []):
                if code not in self.models:
                    self.err(where, f"association to unknown product model {code}")

    def check_parent(
        self, where: str, item: dict[str, Any], is_model: bool, fv: dict[str, Any], level: int
    ) -> None:
        depth = len(fv["variant_attribute_sets"])
        parent = self.models.get(item.get("parent") or "")
        if item.get("parent") and parent is None:
            self.err(where, f"unknown parent {item.get('parent')}")
            return
        if parent is not None and parent.get("family_variant") != (
            item.get("family_variant") or parent.get("family_variant")
        ):
            self.err(where, "parent has another family variant")
        if is_model and level == 1 and depth != 2:
            self.err(where, "a sub model needs a two-level family variant")
        if not is_model and level != depth:
            self.err(where, f"variant product at level {level} of a {depth}-level family variant")

    def check_value(self, where: str, a: dict[str, Any], e: dict[str, Any]) -> None:
        loc, scope, data = e.get("locale"), e.get("scope"), e.get("data")
        if a["localizable"]:
            if loc not in self.enabled_locales:
                self.err(where, f"locale {loc!r} not enabled")
            if a.get("available_locales") and loc not in a["available_locales"]:
                self.err(where, f"locale {loc} not in available_locales")
        elif loc is not None:
            self.err(where, "locale set on a non-localizable attribute")
        if a["scopable"]:
            ch = self.channels.get(scope or "")
            if ch is None:
                self.err(where, f"unknown channel {scope!r}")
            elif a["localizable"] and loc not in ch["locales"]:
                self.err(where, f"locale {loc} not activated on channel {scope}")
        elif scope is not None:
            self.err(where, "scope set on a non-scopable attribute")
        self.check_data(where, a, data, scope)

    def check_number(self, where: str, value: Any, decimals: bool) -> None:
        if decimals:
            if not (isinstance(value, str) and DECIMAL_RE.match(value)) and not isinstance(
                value, int
            ):
                self.err(where, f"decimal amount must be a numeric string, got {value!r}")
        elif not isinstance(value, int) or isinstance(value, bool):
            self.err(where, f"amount must be an integer (decimals not allowed), got {value!r}")

    def check_data(self, where: str, a: dict[str, Any], data: Any, scope: str | None) -> None:
        t = a["type"]
        if t in {"pim_catalog_text", "pim_catalog_textarea"}:
            if not isinstance(data, str):
                self.err(where, "text must be a string")
            elif a.get("max_characters") and len(data) > a["max_characters"]:
                self.err(where, f"longer than {a['max_characters']} characters")
            elif t == "pim_catalog_text" and ("\n" in data or len(data) > 255):
                self.err(where, "text must be one line of at most 255 characters")
            if (
                isinstance(data, str)
                and a.get("validation_rule") == "regexp"
                and not re.match(a["validation_regexp"], data)
            ):
                self.err(where, "does not match validation_regexp")
        elif t == "pim_catalog_boolean":
            if not isinstance(data, bool):
                self.err(where, "boolean expected")
        elif t == "pim_catalog_number":
            self.check_number(where, data, bool(a.get("decimals_allowed")))
        elif t == "pim_catalog_date":
            if not (isinstance(data, str) and DATE_RE.match(data)):
                self.err(where, f"date expected, got {data!r}")
        elif t in {"pim_catalog_simpleselect", "pim_reference_data_simpleselect"}:
            if data not in self.options[a["code"]]:
                self.err(where, f"unknown option {data!r}")
        elif t in {"pim_catalog_multiselect", "pim_reference_data_multiselect"}:
            if not isinstance(data, list) or not set(data) <= self.options[a["code"]]:
                self.err(where, f"unknown options {data!r}")
        elif t == "pim_catalog_metric":
            unit = (data or {}).get("unit") if isinstance(data, dict) else None
            if unit not in self.mfamilies.get(a["metric_family"], {}).get("units", {}):
                self.err(where, f"unit {unit!r} not in {a['metric_family']}")
            else:
                self.check_number(where, data.get("amount"), bool(a.get("decimals_allowed")))
        elif t == "pim_catalog_price_collection":
            if not isinstance(data, list) or not data:
                self.err(where, "price collection must be a non-empty list")
                return
            currencies = [p.get("currency") for p in data]
            if len(set(currencies)) != len(currencies):
                self.err(where, "the same currency twice")
            allowed = (
                set(self.channels[scope]["currencies"])
                if scope in self.channels
                else self.enabled_currencies
            )
            for p in data:
                if p.get("currency") not in allowed:
                    self.err(where, f"currency {p.get('currency')} not allowed here")
                self.check_number(where, p.get("amount"), bool(a.get("decimals_allowed")))
        elif t in {"pim_catalog_image", "pim_catalog_file"}:
            if not isinstance(data, str) or not data:
                self.err(where, "media file code expected")
        elif t == "pim_catalog_asset_collection":
            if not isinstance(data, list) or not set(data) <= self.assets[a["reference_data_name"]]:
                self.err(where, f"unknown assets {data!r}")
        elif t == "akeneo_reference_entity":
            if data not in self.records[a["reference_data_name"]]:
                self.err(where, f"unknown record {data!r}")
        elif t == "akeneo_reference_entity_collection":
            if (
                not isinstance(data, list)
                or not set(data) <= self.records[a["reference_data_name"]]
            ):
                self.err(where, f"unknown records {data!r}")
        elif t == "pim_catalog_table":
            self.check_table(where, a, data)

    def check_table(self, where: str, a: dict[str, Any], data: Any) -> None:
        cols = {c["code"]: c for c in a["table_configuration"]}
        first = a["table_configuration"][0]
        if not isinstance(data, list) or not data:
            self.err(where, "table value must be a non-empty list of rows")
            return
        for row in data:
            if set(row) - set(cols):
                self.err(where, f"unknown columns {sorted(set(row) - set(cols))}")
            if row.get(first["code"]) not in {o["code"] for o in first.get("options", [])}:
                self.err(where, f"first column value {row.get(first['code'])!r} is not an option")
            for code, cell in row.items():
                col = cols.get(code, {})
                if col.get("data_type") == "number" and not (
                    isinstance(cell, int | float)
                    or (isinstance(cell, str) and DECIMAL_RE.match(cell))
                ):
                    self.err(where, f"column {code}: number expected")
                if col.get("data_type") == "boolean" and not isinstance(cell, bool):
                    self.err(where, f"column {code}: boolean expected")

    def check_unique_values(self) -> None:
        seen: dict[tuple[str, Any], str] = {}
        for item in self.cat["products"]:
            for code, entries in item.get("values", {}).items():
                if not self.attributes.get(code, {}).get("unique"):
                    continue
                for e in entries:
                    key = (code, json.dumps(e.get("data")))
                    if key in seen:
                        self.err(
                            f"product {item['identifier']}", f"{code} value shared with {seen[key]}"
                        )
                    seen[key] = item["identifier"]

    def check_axis_combinations(self) -> None:
        """Siblings under one parent must differ on the axes of their level."""
        groups: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for is_model, items in ((True, self.cat["product_models"]), (False, self.cat["products"])):
            for item in items:
                if not item.get("parent"):
                    continue
                fv, level = self.level_of(item, is_model)
                if fv is None or not 1 <= level <= len(fv["variant_attribute_sets"]):
                    continue
                axes = fv["variant_attribute_sets"][level - 1]["axes"]
                combo = json.dumps(
                    [item.get("values", {}).get(x, [{}])[0].get("data") for x in axes]
                )
                groups[item["parent"]].append((combo, item.get("code") or item.get("identifier")))
        for parent, combos in groups.items():
            for combo, n in Counter(c for c, _ in combos).items():
                if n > 1:
                    self.err(f"children of {parent}", f"axis values {combo} used {n} times")


def check_catalog(path: Path | dict[str, list[dict[str, Any]]]) -> list[str]:
    """Every integrity problem found in a catalog directory (or an already loaded catalog)."""
    cat = load_catalog(path) if isinstance(path, Path) else path
    checker = _Checker(cat)
    for step in (
        checker.check_target_market,
        checker.check_attributes,
        checker.check_families,
        checker.check_categories,
        checker.check_reference_entities,
        checker.check_assets,
        checker.check_products,
    ):
        step()
    return checker.problems


def category_depths(path: Path | dict[str, list[dict[str, Any]]]) -> dict[str, int]:
    """Depth of each category tree, by root code."""
    cat = load_catalog(path) if isinstance(path, Path) else path
    return _Checker(cat).category_depths()
