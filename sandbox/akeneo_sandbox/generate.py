"""Generate large, valid catalog directories for benchmarks.

The demo catalog is small and hand-written; benchmarks of the tap and the transform need
thousands of attributes, options and categories. `generate_catalog` writes a catalog directory
in the format of docs/ARCHITECTURE.md that follows Akeneo's rules (variant axes, family
membership, scoped values...), deterministically for a given seed.

    python -m akeneo_sandbox.generate OUT_DIR [--attributes 2000] [--categories 20000] ...
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

IDENTIFIER = "sku"
LABEL_ATTRIBUTE = "name"
IMAGE_ATTRIBUTE = "main_image"

# Locales and currencies taken first, so small catalogs use familiar codes.
PREFERRED_LOCALES = [
    "en_US",
    "fr_FR",
    "de_DE",
    "nl_NL",
    "es_ES",
    "it_IT",
    "en_GB",
    "pt_PT",
    "sv_SE",
    "da_DK",
    "pl_PL",
    "fi_FI",
    "nb_NO",
    "cs_CZ",
    "ja_JP",
]
PREFERRED_CURRENCIES = ["EUR", "USD", "GBP", "CHF", "SEK", "DKK", "PLN", "JPY", "CNY", "NOK"]

# (attribute type, share of the non-select attributes); selects are counted separately.
OTHER_TYPES = [
    ("pim_catalog_text", 0.30),
    ("pim_catalog_textarea", 0.15),
    ("pim_catalog_number", 0.15),
    ("pim_catalog_boolean", 0.10),
    ("pim_catalog_date", 0.05),
    ("pim_catalog_metric", 0.12),
    ("pim_catalog_price_collection", 0.05),
    ("pim_catalog_image", 0.05),
    ("pim_catalog_file", 0.03),
]
METRICS = [("Weight", "KILOGRAM"), ("Length", "CENTIMETER"), ("Power", "WATT"), ("Volume", "LITER")]
METRIC_UNITS = {
    "Weight": ["GRAM", "KILOGRAM"],
    "Length": ["MILLIMETER", "CENTIMETER", "METER"],
    "Power": ["WATT", "KILOWATT"],
    "Volume": ["MILLILITER", "LITER"],
}
CATEGORY_BRANCHING = 12
MAX_TREES = 3


def _base_codes(name: str, preferred: list[str]) -> list[str]:
    """Codes of the sandbox's built-in locales or currencies, preferred ones first."""
    text = (resources.files("akeneo_sandbox") / "data" / f"{name}.json").read_text(encoding="utf-8")
    known = [item["code"] for item in json.loads(text)]
    return [c for c in preferred if c in known] + sorted(c for c in known if c not in preferred)


@dataclass
class _Catalog:
    """The generated items, file by file."""

    files: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def add(self, name: str, item: dict[str, Any]) -> None:
        self.files.setdefault(name, []).append(item)


class _Generator:
    """Builds one catalog; every random choice goes through one seeded generator."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)  # noqa: S311 - test data, not cryptography
        self.out = _Catalog()
        self.attributes: dict[str, dict[str, Any]] = {}
        self.options: dict[str, list[str]] = {}
        self.channels: list[dict[str, Any]] = []
        self.locales: list[str] = []

    # -- target market ----------------------------------------------------------------------
    def target_market(self, n_channels: int, n_locales: int, tree_codes: list[str]) -> None:
        locales = _base_codes("locales", PREFERRED_LOCALES)
        currencies = _base_codes("currencies", PREFERRED_CURRENCIES)
        if not 1 <= n_locales <= len(locales):
            raise ValueError(f"locales must be between 1 and {len(locales)}")
        self.locales = locales[:n_locales]
        for i in range(n_channels):
            if i == 0:
                chosen = list(self.locales)  # the first channel has them all: every locale is used
            else:
                size = self.rng.randint(1, n_locales)
                chosen = sorted(self.rng.sample(self.locales, size))
            pool = currencies[:6]
            chan_currencies = sorted({pool[i % len(pool)], pool[(i + 1) % len(pool)]})
            channel = {
                "code": f"channel_{i + 1:02d}",
                "labels": {"en_US": f"Channel {i + 1}"},
                "locales": sorted(chosen),
                "currencies": chan_currencies,
                "category_tree": tree_codes[i % len(tree_codes)],
                "conversion_units": {},
            }
            self.channels.append(channel)
            self.out.add("channels", channel)

    # -- attributes -----------------------------------------------------------------------
    def attribute(
        self,
        code: str,
        type_: str,
        group: str,
        sort_order: int,
        *,
        scopable: bool,
        localizable: bool,
    ) -> dict[str, Any]:
        attr: dict[str, Any] = {
            "code": code,
            "type": type_,
            "group": group,
            "labels": {"en_US": code.replace("_", " ").capitalize()},
            "localizable": localizable,
            "scopable": scopable,
            "unique": type_ == "pim_catalog_identifier",
            "useable_as_grid_filter": type_
            in {"pim_catalog_identifier", "pim_catalog_simpleselect"},
            "allowed_extensions": [],
            "metric_family": None,
            "default_metric_unit": None,
            "reference_data_name": None,
            "available_locales": [],
            "max_characters": None,
            "validation_rule": None,
            "validation_regexp": None,
            "wysiwyg_enabled": None,
            "number_min": None,
            "number_max": None,
            "decimals_allowed": None,
            "negative_allowed": None,
            "date_min": None,
            "date_max": None,
            "max_file_size": None,
            "minimum_input_length": None,
            "sort_order": sort_order,
        }
        if type_ == "pim_catalog_text":
            attr["max_characters"] = self.rng.choice([None, 80, 255])
        elif type_ == "pim_catalog_textarea":
            attr["wysiwyg_enabled"] = self.rng.random() < 0.5
        elif type_ in {"pim_catalog_number", "pim_catalog_price_collection"}:
            attr["decimals_allowed"] = self.rng.random() < 0.5
            attr["negative_allowed"] = False
        elif type_ == "pim_catalog_metric":
            family, unit = self.rng.choice(METRICS)
            attr.update(
                metric_family=family,
                default_metric_unit=unit,
                negative_allowed=False,
                decimals_allowed=self.rng.random() < 0.5,
            )
        elif type_ == "pim_catalog_image":
            attr["allowed_extensions"] = ["jpg", "png"]
        elif type_ == "pim_catalog_file":
            attr["allowed_extensions"] = ["pdf"]
        elif type_ == "pim_catalog_identifier":
            attr["max_characters"] = 255
        self.attributes[code] = attr
        self.out.add("attributes", attr)
        return attr

    def attributes_and_options(
        self, n_attributes: int, share: float, n_selects: int, n_options: int
    ) -> None:
        n_groups = max(5, min(50, n_attributes // 100))
        groups = [f"group_{g + 1:02d}" for g in range(n_groups)]
        members: dict[str, list[str]] = {g: [] for g in groups}
        fixed = [
            (IDENTIFIER, "pim_catalog_identifier"),
            (LABEL_ATTRIBUTE, "pim_catalog_text"),
            (IMAGE_ATTRIBUTE, "pim_catalog_image"),
        ]
        n_free = n_attributes - len(fixed)
        if n_free < 0 or n_selects > n_free:
            raise ValueError("attributes must be >= 3 and leave room for the select attributes")
        n_multi = n_selects // 5
        n_other = n_free - n_selects
        weights = [w for _, w in OTHER_TYPES]
        free_types = ["pim_catalog_simpleselect"] * (n_selects - n_multi)
        free_types += ["pim_catalog_multiselect"] * n_multi
        free_types += self.rng.choices([t for t, _ in OTHER_TYPES], weights=weights, k=n_other)
        self.rng.shuffle(free_types)
        types = [t for _, t in fixed] + free_types
        codes = [c for c, _ in fixed] + [f"attr_{i + 1:05d}" for i in range(n_free)]
        # A share of the free attributes vary by channel and/or locale (a third each); the first
        # twenty simple selects stay plain so that families can use them as variant axes.
        simple = [i for i, t in enumerate(types) if t == "pim_catalog_simpleselect"]
        reserved = set(simple[:20])
        pool = [i for i in range(len(fixed), n_attributes) if i not in reserved]
        flagged = sorted(self.rng.sample(pool, min(len(pool), round(share * n_free))))
        flags = {
            index: [(True, False), (False, True), (True, True)][k % 3]
            for k, index in enumerate(flagged)
        }
        for index, (code, type_) in enumerate(zip(codes, types, strict=True)):
            group = groups[0] if index < len(fixed) else groups[index % n_groups]
            scopable, localizable = flags.get(index, (False, False))
            if code == LABEL_ATTRIBUTE:
                localizable = True
            members[group].append(code)
            self.attribute(
                code, type_, group, len(members[group]), scopable=scopable, localizable=localizable
            )
            if type_ in {"pim_catalog_simpleselect", "pim_catalog_multiselect"}:
                self.options[code] = [f"{code}_opt_{o + 1:03d}" for o in range(n_options)]
                for o, opt in enumerate(self.options[code]):
                    self.out.add(
                        "attribute_options",
                        {
                            "code": opt,
                            "attribute": code,
                            "sort_order": o + 1,
                            "labels": {"en_US": f"Option {o + 1}", "fr_FR": f"Option {o + 1} (fr)"},
                        },
                    )
        for sort_order, group in enumerate(groups, start=1):
            self.out.add(
                "attribute_groups",
                {
                    "code": group,
                    "sort_order": sort_order,
                    "attributes": members[group],
                    "labels": {"en_US": f"Group {sort_order}"},
                },
            )

    # -- categories -------------------------------------------------------------------------
    def categories(self, n_categories: int, tree_codes: list[str]) -> None:
        n_trees = len(tree_codes)
        for i in range(n_categories):
            if i < n_trees:
                code, parent = tree_codes[i], None
            else:
                code = f"category_{i + 1:06d}"
                parent_index = (i - n_trees) // CATEGORY_BRANCHING
                parent = self.out.files["categories"][parent_index]["code"]
            self.out.add(
                "categories",
                {
                    "code": code,
                    "parent": parent,
                    "labels": {"en_US": code.replace("_", " ").title()},
                    "values": {},
                },
            )

    # -- families ---------------------------------------------------------------------------
    def families(self, n_families: int) -> None:
        free = [
            c for c in self.attributes if c not in {IDENTIFIER, LABEL_ATTRIBUTE, IMAGE_ATTRIBUTE}
        ]
        plain_selects = [
            c
            for c, a in self.attributes.items()
            if a["type"] == "pim_catalog_simpleselect"
            and not a["scopable"]
            and not a["localizable"]
        ]
        for f in range(n_families):
            code = f"family_{f + 1:04d}"
            size = min(len(free), self.rng.randint(20, 150))
            chosen = self.rng.sample(free, size)
            axes_pool = self.rng.sample(plain_selects, min(2, len(plain_selects)))
            members = sorted({IDENTIFIER, LABEL_ATTRIBUTE, IMAGE_ATTRIBUTE, *chosen, *axes_pool})
            required = sorted({IDENTIFIER, LABEL_ATTRIBUTE, *self.rng.sample(chosen, min(3, size))})
            self.out.add(
                "families",
                {
                    "code": code,
                    "labels": {"en_US": f"Family {f + 1}"},
                    "attributes": members,
                    "attribute_as_label": LABEL_ATTRIBUTE,
                    "attribute_as_image": IMAGE_ATTRIBUTE,
                    "attribute_requirements": {ch["code"]: required for ch in self.channels},
                },
            )
            if f % 3 == 0 and axes_pool:
                self.family_variant(code, members, axes_pool)

    def family_variant(self, family: str, members: list[str], axes: list[str]) -> None:
        others = [c for c in members if c not in {IDENTIFIER, LABEL_ATTRIBUTE, *axes}]
        self.rng.shuffle(others)
        if len(axes) >= 2:
            sets = [
                {"level": 1, "axes": [axes[0]], "attributes": sorted([axes[0], *others[:5]])},
                {
                    "level": 2,
                    "axes": [axes[1]],
                    "attributes": sorted([IDENTIFIER, axes[1], *others[5:8]]),
                },
            ]
        else:
            sets = [
                {"level": 1, "axes": axes, "attributes": sorted([IDENTIFIER, *axes, *others[:4]])}
            ]
        self.out.add(
            "family_variants",
            {
                "family": family,
                "code": f"{family}_variant",
                "labels": {"en_US": f"{family} variant"},
                "variant_attribute_sets": sets,
            },
        )

    # -- products ---------------------------------------------------------------------------
    def data_for(self, attr: dict[str, Any], channel: dict[str, Any] | None) -> Any:
        type_, rng = attr["type"], self.rng
        if type_ in {"pim_catalog_text", "pim_catalog_textarea"}:
            return f"{attr['code']} value {rng.randint(1, 9999)}"
        if type_ == "pim_catalog_number":
            n = rng.randint(1, 500)
            return f"{n}.5" if attr["decimals_allowed"] else n
        if type_ == "pim_catalog_boolean":
            return rng.random() < 0.5
        if type_ == "pim_catalog_date":
            return f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T00:00:00+00:00"
        if type_ == "pim_catalog_simpleselect":
            return rng.choice(self.options[attr["code"]])
        if type_ == "pim_catalog_multiselect":
            return sorted(
                rng.sample(self.options[attr["code"]], min(2, len(self.options[attr["code"]])))
            )
        if type_ == "pim_catalog_metric":
            n = rng.randint(1, 900)
            unit = rng.choice(METRIC_UNITS[attr["metric_family"]])
            return {"amount": f"{n}.25" if attr["decimals_allowed"] else n, "unit": unit}
        if type_ == "pim_catalog_price_collection":
            currencies = channel["currencies"] if channel else self.channels[0]["currencies"]
            n = rng.randint(1, 300)
            amount: Any = f"{n}.99" if attr["decimals_allowed"] else n
            return [{"amount": amount, "currency": c} for c in currencies]
        return None  # media: no file to point to

    def values_for(self, attr: dict[str, Any]) -> list[dict[str, Any]]:
        """Values of one attribute, one per (locale, scope) Akeneo expects for its flags."""
        if attr["scopable"]:
            return [
                {"locale": loc, "scope": ch["code"], "data": self.data_for(attr, ch)}
                for ch in self.channels
                for loc in (ch["locales"] if attr["localizable"] else [None])
            ]
        return [
            {"locale": loc, "scope": None, "data": self.data_for(attr, None)}
            for loc in (self.locales if attr["localizable"] else [None])
        ]

    def products(self, n_products: int) -> None:
        families = self.out.files.get("families", [])
        if n_products and not families:
            raise ValueError("products need at least one family")
        leaves = [c["code"] for c in self.out.files.get("categories", [])[-50:]]
        for p in range(n_products):
            family = families[p % len(families)]
            values: dict[str, list[dict[str, Any]]] = {}
            candidates = [c for c in family["attributes"] if c != IDENTIFIER]
            for code in self.rng.sample(candidates, min(12, len(candidates))):
                attr = self.attributes[code]
                if attr["type"] in {"pim_catalog_image", "pim_catalog_file"}:
                    continue
                values[code] = self.values_for(attr)
            self.out.add(
                "products",
                {
                    "identifier": f"SKU-{p + 1:07d}",
                    "enabled": True,
                    "family": family["code"],
                    "categories": self.rng.sample(leaves, min(2, len(leaves))),
                    "groups": [],
                    "parent": None,
                    "values": values,
                    "associations": {},
                },
            )


def generate_catalog(
    out_dir: str | Path,
    *,
    attributes: int = 2000,
    scopable_localizable_share: float = 0.3,
    channels: int = 6,
    locales: int = 12,
    select_attributes: int = 500,
    options_per_select: int = 50,
    categories: int = 20000,
    families: int = 300,
    products: int = 0,
    seed: int = 0,
) -> Path:
    """Write a valid catalog directory and return its path.

    The same arguments always give byte-identical files. Locales, currencies and measurement
    families are the sandbox's built-in base data (their files are not written).

    Args:
        out_dir: Folder to write (created if needed; existing catalog files are replaced).
        attributes: Total attributes, including the identifier `sku`, `name` and `main_image`.
        scopable_localizable_share: Share of the attributes that are scopable, localizable or
            both (a third each).
        channels: Number of channels; the first uses every locale.
        locales: Number of enabled locales (used by the channels).
        select_attributes: Simple and multi select attributes (one in five is multi).
        options_per_select: Options of each select attribute.
        categories: Total categories, in up to three trees.
        families: Families; one in three gets a family variant (two levels when possible).
        products: Simple products with values valid for their family.
        seed: Seed of every random choice.
    """
    if channels < 1 or families < 0 or categories < 1 or products < 0:
        raise ValueError("channels and categories must be >= 1, families and products >= 0")
    if select_attributes and options_per_select < 1:
        raise ValueError("options_per_select must be >= 1 when there are select attributes")
    if not 0.0 <= scopable_localizable_share <= 1.0:
        raise ValueError("scopable_localizable_share must be between 0 and 1")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    gen = _Generator(seed)
    n_trees = min(MAX_TREES, channels, categories)
    tree_codes = [f"tree_{t + 1}" for t in range(n_trees)]
    gen.target_market(channels, locales, tree_codes)
    gen.attributes_and_options(
        attributes, scopable_localizable_share, select_attributes, options_per_select
    )
    gen.categories(categories, tree_codes)
    gen.families(families)
    gen.products(products)
    gen.out.add(
        "association_types",
        {
            "code": "X_SELL",
            "labels": {"en_US": "Cross sell"},
            "is_quantified": False,
            "is_two_way": False,
        },
    )
    for name, items in gen.out.files.items():
        with (out / f"{name}.json").open("w", encoding="utf-8") as fh:
            json.dump(items, fh, ensure_ascii=False, separators=(",", ":"))
            fh.write("\n")
    return out


def main(argv: list[str] | None = None) -> int:
    """Command line: `python -m akeneo_sandbox.generate OUT_DIR [--flags]`."""
    parser = argparse.ArgumentParser(
        prog="python -m akeneo_sandbox.generate",
        description="Write a large, valid catalog directory.",
    )
    parser.add_argument("out_dir", type=Path)
    for flag, default in [
        ("attributes", 2000),
        ("channels", 6),
        ("locales", 12),
        ("select-attributes", 500),
        ("options-per-select", 50),
        ("categories", 20000),
        ("families", 300),
        ("products", 0),
        ("seed", 0),
    ]:
        parser.add_argument(f"--{flag}", type=int, default=default)
    parser.add_argument("--scopable-localizable-share", type=float, default=0.3)
    args = parser.parse_args(argv)
    try:
        path = generate_catalog(
            args.out_dir,
            attributes=args.attributes,
            scopable_localizable_share=args.scopable_localizable_share,
            channels=args.channels,
            locales=args.locales,
            select_attributes=args.select_attributes,
            options_per_select=args.options_per_select,
            categories=args.categories,
            families=args.families,
            products=args.products,
            seed=args.seed,
        )
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    counts = {
        f.stem: len(json.loads(f.read_text(encoding="utf-8"))) for f in sorted(path.glob("*.json"))
    }
    print(f"catalog written to {path}: " + ", ".join(f"{n} {k}" for k, n in counts.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
