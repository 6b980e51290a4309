"""Products and product models: Akeneo's update rules, validation, variants and rendering.

All functions expect the store lock to be held by the caller.
"""

from __future__ import annotations

import random
import uuid as uuidlib
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from . import clock
from .errors import ApiError, unprocessable, validation_failed, violation
from .merge import php_type
from .validation import ValueChecker, type_error
from .value_rules import SLOW

if TYPE_CHECKING:
    from .store import Store

PRODUCT_DOC = "http://api.akeneo.com/api-reference.html#patch_products_uuid__uuid_"
READ_ONLY = frozenset({"created", "updated", "metadata", "quality_scores", "completenesses",
                       "_links", "root_parent"})
PRODUCT_KEYS = frozenset({"identifier", "uuid", "enabled", "family", "categories", "groups",
                          "parent", "values", "associations", "quantified_associations"})
_PRODUCT_PROPERTIES = PRODUCT_KEYS | READ_ONLY
MODEL_KEYS = frozenset({"code", "family", "family_variant", "parent", "categories", "values",
                        "associations", "quantified_associations"})

# Stored values are tuples (fewer objects for the garbage collector); JSON writes them as arrays.
Values = dict[str, Sequence[dict[str, Any]]]


# -- helpers --------------------------------------------------------------------------------
def _unknown_property(key: str) -> ApiError:
    return unprocessable(f'Property "{key}" does not exist. Check the standard format '
                         "documentation.", doc=PRODUCT_DOC)


def _expects(key: str, expected: str, value: Any) -> ApiError:
    return unprocessable(f'Property "{key}" expects {expected} as data, "{php_type(value)}" '
                         "given.", doc=PRODUCT_DOC)


def _parent_code(store: Store, parent: Any) -> str | None:
    """A sent `parent`: null, or the code of an existing product model (products and models)."""
    if parent is not None and not isinstance(parent, str):
        raise _expects("parent", "a string", parent)
    if parent and parent not in store.product_models:
        raise unprocessable(f'Property "parent" expects a valid parent code. The parent '
                            f'product model does not exist, "{parent}" given.',
                            doc=PRODUCT_DOC)
    return parent


def _check_codes_list(key: str, value: Any) -> list[str]:
    if not isinstance(value, list):
        raise _expects(key, "an array of strings", value)
    for code in value:
        if not isinstance(code, str):
            raise _expects(key, "an array of strings", value)
    return list(dict.fromkeys(value)) if len(value) > 1 else list(value)


def _check_categories(store: Store, value: Any) -> list[str]:
    codes = _check_codes_list("categories", value)
    for code in codes:
        if code not in store.categories:
            raise unprocessable(f"The {code} category does not exist in your PIM. Check the "
                                "expected format on the API documentation.", doc=PRODUCT_DOC)
    return codes


def _check_groups(value: Any) -> list[str]:
    codes = _check_codes_list("groups", value)
    if codes:
        raise unprocessable(f'Property "groups" expects a valid group code. The group does not '
                            f'exist, "{codes[0]}" given.', doc=PRODUCT_DOC)
    return codes


def valid_uuid(value: Any) -> bool:
    """Whether ``value`` is a UUID string."""
    if not isinstance(value, str):
        return False
    try:
        uuidlib.UUID(value)
    except ValueError:
        return False
    return True


def _stamp(store: Store, kind: str, key: str) -> str:
    moment, text = clock.stamp()
    store.updated[(kind, key)] = moment
    return text


def new_uuid() -> str:
    """A random (version 4) UUID as text, as ``str(uuid.uuid4())`` gives, for less work.

    The bits come from ``random``, seeded from the system's entropy and again after a fork
    (a UUID names a product here, it protects nothing): no system call per product created.
    """
    text = ((random.getrandbits(128) & _UUID_CLEAR) | _UUID_SET).to_bytes(16, "big").hex()
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


# The version (4) and variant (RFC 4122) bits, as uuid.UUID(version=4) sets them.
_UUID_CLEAR = ~((0xF000 << 64) | (0xC000 << 48))
_UUID_SET = (0x4000 << 64) | (0x8000 << 48)


# -- variant structure ----------------------------------------------------------------------
def model_level(store: Store, code: str) -> int:
    """0 for a root product model, 1 for a sub-model."""
    level = 0
    model = store.product_models.get(code)
    while model is not None and model.get("parent"):
        level += 1
        model = store.product_models.get(model["parent"])
    return level


def level_attributes(store: Store, family: str, variant: dict[str, Any], level: int) -> set[str]:
    """The attributes an entity at ``level`` of the family variant holds."""
    sets = variant["variant_attribute_sets"]
    if level == 0:
        used = {a for s in sets for a in s["attributes"]}
        return set(store.families[family]["attributes"]) - used
    for entry in sets:
        if entry["level"] == level:
            return set(entry["attributes"])
    return set()


def level_axes(variant: dict[str, Any], level: int) -> list[str]:
    """The axes of ``level`` (none for the root)."""
    for entry in variant["variant_attribute_sets"]:
        if entry["level"] == level:
            return list(entry["axes"])
    return []


def ancestors(store: Store, parent: str | None) -> list[dict[str, Any]]:
    """The parent product models, root first."""
    chain: list[dict[str, Any]] = []
    while parent:
        model = store.product_models.get(parent)
        if model is None:
            break
        chain.append(model)
        parent = model.get("parent")
    chain.reverse()
    return chain


def effective_values(store: Store, entity: dict[str, Any]) -> Values:
    """An entity's values plus those it inherits from its parent models."""
    chain = ancestors(store, entity.get("parent"))
    if not chain:
        return entity["values"]
    merged: Values = {}
    for model in chain:
        merged.update(model["values"])
    merged.update(entity["values"])
    return merged


def _value_at(values: Values, attr: str, locale: Any, scope: Any) -> Any:
    for entry in values.get(attr, ()):
        if entry["locale"] == locale and entry["scope"] == scope:
            return entry["data"]
    return None


# -- values ---------------------------------------------------------------------------------
def apply_values(
    store: Store,
    checker: ValueChecker,
    current: Values,
    patch: Any,
    *,
    skip: str | None = None,
    track_all: bool = True,
) -> tuple[Values, list[dict[str, Any]], dict[str, list[tuple[Any, Any, Any]]]]:
    """Merge ``patch`` into ``current`` per (attribute, locale, scope).

    Returns the new values, the violations, and what was sent per attribute
    (``[(locale, scope, stored data or None)]``): for every attribute when ``track_all``,
    else only for the unique attributes, all that the checks of a simple product read.
    """
    if not isinstance(patch, dict):
        raise _expects("values", "an array", patch)
    # The hot path of every product write: kept flat, with per-attribute rules built once.
    rules = checker.rules
    unique = store.unique_set
    errors: list[dict[str, Any]] = []
    sent: dict[str, list[tuple[Any, Any, Any]]] = {}
    new = dict(current)
    for code, entries in patch.items():
        if code == skip:
            continue
        try:
            rule = rules[code]
        except KeyError:
            found = checker.rule(code)
            if found is None:
                raise unprocessable(f'Attribute "{code}" does not exist.',
                                    doc=PRODUCT_DOC) from None
            rule = found
        if type(entries) is not list:
            raise type_error(code, "an array of values", entries)
        fast = rule.fast
        contexts = rule.contexts
        existing = new.get(code)
        # Most attributes carry one value: one sent onto at most one stored needs no index.
        index: dict[tuple[Any, Any], dict[str, Any]] | None = None
        if len(entries) != 1 or (existing and len(existing) != 1):
            index = {}
            if existing:  # a plain loop: cheaper than a comprehension for a few entries
                for old in existing:
                    index[old["locale"], old["scope"]] = old
        sent_here: list[tuple[Any, Any, Any]] | None = (
            [] if track_all or code in unique else None)
        for entry in entries:
            try:  # the usual shape, {locale, scope, data}: three lookups
                locale = entry["locale"]
                scope = entry["scope"]
                data = entry["data"]
                value = entry if len(entry) == 3 else None
            except (KeyError, TypeError):
                locale, scope, data = _loose_entry(code, entry)
                value = None
            key = (locale, scope)
            try:
                known = contexts[key]
            except (KeyError, TypeError):  # not seen yet, or unhashable (reported as such)
                known = checker.check_context(rule, locale, scope)
            if known:
                errors.extend(dict(v) for v in known)
                continue
            if not data and (data is None or data in ("", [])):
                stored = None
            else:
                stored = fast(data)
                if stored is SLOW:
                    assert rule.check is not None  # noqa: S101 - no check: fast stores all
                    stored, messages = rule.check(rule.attr, data)
                    if messages:
                        errors.extend(violation("values", m, code, locale, scope)
                                      for m in messages)
                        continue
            if sent_here is not None:
                sent_here.append((locale, scope, stored))
            if stored is not None:
                # Stored as sent when it has exactly the keys locale, scope and data (their
                # order may differ from Akeneo's: JSON objects are unordered).
                if stored is not data or value is None:
                    value = {"locale": locale, "scope": scope, "data": stored}
                if index is not None:
                    index[key] = value
                elif existing and _other_context(existing[0], locale, scope):
                    new[code] = (*existing, value)
                else:
                    new[code] = (value,)
            elif index is not None:
                index.pop(key, None)
            elif not (existing and _other_context(existing[0], locale, scope)):
                new.pop(code, None)
        if sent_here:
            sent[code] = sent_here
        if index is not None:
            if index:
                new[code] = tuple(index.values())
            else:
                new.pop(code, None)
    return new, errors, sent


def _other_context(old: dict[str, Any], locale: Any, scope: Any) -> bool:
    """Whether a stored value is for another (locale, scope)."""
    return old["locale"] != locale or old["scope"] != scope


def _loose_entry(code: str, entry: Any) -> tuple[Any, Any, Any]:
    """(locale, scope, data) of a value entry lacking ``locale`` or ``scope`` (null then)."""
    if type(entry) is not dict or "data" not in entry:
        raise unprocessable(f'Property "{code}" expects an array with the key "data". '
                            "Check the expected format on the API documentation.",
                            doc=PRODUCT_DOC)
    return entry.get("locale"), entry.get("scope"), entry["data"]


def _unique_errors(store: Store, sent: dict[str, list[tuple[Any, Any, Any]]],
                   owner: str) -> list[dict[str, Any]]:
    errors = []
    unique = store.unique_set
    for code, entries in sent.items():
        if code not in unique:
            continue
        index = store.unique_index.get(code, {})
        for locale, scope, data in entries:
            if data is None:
                continue
            holder = index.get(str(data))
            if holder is not None and holder != owner:
                errors.append(violation("values", f"The value {data} is already set on another "
                                        f"product for the unique attribute {code}",
                                        code, locale, scope))
    return errors


def _reindex_unique(store: Store, owner: str, old: Values | None, new: Values) -> None:
    for code in store.unique_attributes:
        old_data = _value_at(old or {}, code, None, None)
        new_data = _value_at(new, code, None, None)
        if old_data == new_data:
            continue
        index = store.unique_index.setdefault(code, {})
        if old_data is not None and index.get(str(old_data)) == owner:
            del index[str(old_data)]
        if new_data is not None:
            index[str(new_data)] = owner


# -- associations ---------------------------------------------------------------------------
def _apply_associations(
    store: Store, current: dict[str, Any], patch: Any, by_identifier: bool,
                        quantified: bool) -> dict[str, Any]:
    key = "quantified_associations" if quantified else "associations"
    if not isinstance(patch, dict):
        raise _expects(key, "an array", patch)
    new = dict(current)
    for type_code, links in patch.items():
        assoc = store.association_types.get(type_code)
        if assoc is None or bool(assoc.get("is_quantified")) != quantified:
            raise unprocessable(f'Property "{key}" expects a valid association type code. The '
                                f'association type does not exist, "{type_code}" given.',
                                doc=PRODUCT_DOC)
        if not isinstance(links, dict):
            raise _expects(key, "an array", links)
        entry = dict(new.get(type_code) or _empty_links(quantified))
        for kind, refs in links.items():
            if kind not in ("products", "product_models", "groups") or (
                    quantified and kind == "groups"):
                raise _unknown_property(f"{key}.{type_code}.{kind}")
            if not isinstance(refs, list):
                raise _expects(key, "an array", refs)
            entry[kind] = [_association_ref(store, key, kind, ref, by_identifier, quantified)
                           for ref in refs]
        new[type_code] = entry
    return new


def _empty_links(quantified: bool) -> dict[str, list[Any]]:
    if quantified:
        return {"products": [], "product_models": []}
    return {"products": [], "product_models": [], "groups": []}


def _association_ref(  # noqa: PLR0917 - internal helper
    store: Store, key: str, kind: str, ref: Any, by_identifier: bool,
                     quantified: bool) -> Any:
    """Check one association target; products are stored by uuid."""
    quantity = None
    if quantified:
        if not isinstance(ref, dict) or not isinstance(ref.get("quantity"), int):
            raise _expects(key, 'objects with a "quantity"', ref)
        quantity = ref["quantity"]
        if kind == "products":
            ref = ref.get("uuid") if "uuid" in ref else ref.get("identifier")
        else:
            ref = ref.get("code") if "code" in ref else ref.get("identifier")
    if not isinstance(ref, str):
        raise _expects(key, "an array of strings", ref)
    if kind == "products":
        target = store.identifiers.get(ref) if by_identifier else (
            ref if ref in store.products else None)
        if target is None:
            label = "identifier" if by_identifier else "uuid"
            raise unprocessable(f'Property "{key}" expects a valid product {label}. The product '
                                f'does not exist, "{ref}" given.', doc=PRODUCT_DOC)
        ref = target
    elif kind == "product_models":
        if ref not in store.product_models:
            raise unprocessable(f'Property "{key}" expects a valid product model code. The '
                                f'product model does not exist, "{ref}" given.', doc=PRODUCT_DOC)
    else:
        raise unprocessable(f'Property "{key}" expects a valid group code. The group does not '
                            f'exist, "{ref}" given.', doc=PRODUCT_DOC)
    return {"ref": ref, "quantity": quantity} if quantified else ref


# -- variant checks shared by products and product models -----------------------------------
def _variant_errors(  # noqa: PLR0917 - internal helper
    store: Store,
    family: str,
    variant: dict[str, Any],
    level: int,
    parent: str | None,
    values: Values,
    sent: dict[str, list[tuple[Any, Any, Any]]],
    previous: dict[str, Any] | None,
    siblings: list[dict[str, Any]],
    label: str,
) -> tuple[Values, list[dict[str, Any]]]:
    """Values on the wrong level, missing or duplicated axis values, changed axes."""
    errors: list[dict[str, Any]] = []
    allowed = level_attributes(store, family, variant, level)
    inherited = effective_values(store, {"parent": parent, "values": {}}) if parent else {}
    for code, entries in sent.items():
        if code in allowed:
            continue
        # Sending back an inherited value unchanged is harmless; anything else is refused.
        if all(_value_at(inherited, code, loc, sc) == data for loc, sc, data in entries):
            values.pop(code, None)
            continue
        for locale, scope, _data in entries:
            errors.append(violation(
                "attribute", f'Cannot set the property "{code}" to this entity as it is not in '
                "the attribute set", code, locale, scope))
    axes = level_axes(variant, level)
    combo = []
    for axis in axes:
        data = _value_at(values, axis, None, None)
        if data is None:
            errors.append(violation("attribute", f'Attribute "{axis}" cannot be empty, as it is '
                                    "defined as an axis for this entity", axis, None, None))
        elif previous is not None and previous.get("parent") == parent:
            before = _value_at(previous["values"], axis, None, None)
            if before is not None and before != data:
                errors.append(violation("attribute", f'Variant axis "{axis}" cannot be modified, '
                                        f'"{_axis_text(data)}" given', axis, None, None))
        combo.append(_axis_text(data))
    if axes and parent and len(combo) == len(axes) and not errors:
        for sibling in siblings:
            other = [_axis_text(_value_at(sibling["values"], a, None, None)) for a in axes]
            if other == combo:
                shown = ",".join(combo)
                errors.append(violation(
                    "attribute", f'Cannot set value "[{shown}]" for the attribute axis '
                    f'"{",".join(axes)}" on {label}, as the product model "{parent}" already '
                    "has a child with this value", axes[0], None, None))
                break
    return values, errors


def _axis_text(data: Any) -> str:
    if isinstance(data, dict):
        return f"{data.get('amount')} {data.get('unit')}"
    if isinstance(data, list):
        return ",".join(str(d) for d in data)
    if isinstance(data, bool):
        return "1" if data else "0"
    return str(data)


# -- products -------------------------------------------------------------------------------
def upsert_product(
    store: Store,
    patch: dict[str, Any],
    *,
    uuid: str | None = None,
    identifier: str | None = None,
    check_media: bool = True,
    create_only: bool = False,
) -> tuple[int, str]:
    """Create or update a product; returns (201 or 204, uuid).

    Give ``uuid`` for ``/products-uuid`` or ``identifier`` for the legacy ``/products``.
    """
    if not isinstance(patch, dict):
        raise ApiError(400, "Invalid json message received")
    by_identifier = uuid is None
    ident_attr = store.identifier_attribute
    if by_identifier:
        if "identifier" in patch and patch["identifier"] != identifier:
            raise unprocessable(f'The identifier "{patch["identifier"]}" provided in the request '
                                f'body must match the identifier "{identifier}" provided in the '
                                "url.", doc=None)
        uid = store.identifiers.get(identifier or "")
        if uid is None and "uuid" in patch:
            if not valid_uuid(patch["uuid"]):
                raise unprocessable(f'The uuid "{patch["uuid"]}" is not a valid UUID.', doc=None)
            uid = patch["uuid"]
    else:
        if "uuid" in patch and patch["uuid"] != uuid:
            raise unprocessable(f'The uuid "{patch["uuid"]}" provided in the request body must '
                                f'match the uuid "{uuid}" provided in the url.', doc=None)
        if not valid_uuid(uuid):
            raise unprocessable(f'The uuid "{uuid}" is not a valid UUID.', doc=None)
        uid = uuid
    current = store.products.get(uid) if uid else None
    if current is not None and create_only:
        raise validation_failed([violation("identifier" if by_identifier else "uuid",
                                           "The same identifier is already set on another product"
                                           if by_identifier else "The uuid is already used.")])
    if not _PRODUCT_PROPERTIES.issuperset(patch):
        for key in patch:
            if key not in _PRODUCT_PROPERTIES:
                raise _unknown_property(key)
    if not by_identifier and "identifier" in patch:
        raise _unknown_property("identifier")
    uid = uid or new_uuid()
    base = current or {"uuid": uid, "enabled": True, "family": None, "categories": [],
                       "groups": [], "parent": None, "values": {}, "associations": {},
                       "quantified_associations": {}}
    new = dict(base)
    if "enabled" in patch:
        if not isinstance(patch["enabled"], bool):
            raise _expects("enabled", "a boolean", patch["enabled"])
        new["enabled"] = patch["enabled"]
    if "family" in patch:
        family = patch["family"]
        if family is not None and not isinstance(family, str):
            raise _expects("family", "a string", family)
        if family and family not in store.families:
            raise unprocessable(f'Property "family" expects a valid family code. The family '
                                f'does not exist, "{family}" given.', doc=PRODUCT_DOC)
        new["family"] = family or None
    if "parent" in patch:
        parent = _parent_code(store, patch["parent"])
        if not parent and base["parent"]:
            # A variant product becomes a simple product: it keeps its inherited values.
            new["values"] = dict(effective_values(store, base))
        new["parent"] = parent or None
    if "categories" in patch:
        new["categories"] = _check_categories(store, patch["categories"])
    if "groups" in patch:
        new["groups"] = _check_groups(patch["groups"])
    checker = ValueChecker.of(store, check_media)
    errors: list[dict[str, Any]] = []
    sent: dict[str, list[tuple[Any, Any, Any]]] = {}
    if "values" in patch:
        new["values"], errors, sent = apply_values(
            store, checker, new["values"], patch["values"],
            skip=ident_attr if by_identifier else None, track_all=bool(new["parent"]))
    if by_identifier and ident_attr:
        stored_ident = _value_at(new["values"], ident_attr, None, None)
        if stored_ident != identifier:
            rule = checker.rule(ident_attr)
            if rule is None or rule.fast(identifier) is SLOW:
                _, problems = checker.check_data(store.attributes[ident_attr], identifier,
                                                 None, None)
                errors.extend(problems)
            if "values" not in patch:  # else apply_values made a new dict: no second copy
                new["values"] = dict(new["values"])
            new["values"][ident_attr] = ({"locale": None, "scope": None, "data": identifier},)
            sent[ident_attr] = [(None, None, identifier)]
    if "associations" in patch:
        new["associations"] = _apply_associations(store, base["associations"],
                                                  patch["associations"], by_identifier, False)
    if "quantified_associations" in patch:
        new["quantified_associations"] = _apply_associations(
            store, base["quantified_associations"], patch["quantified_associations"],
            by_identifier, True)
    new_ident = _value_at(new["values"], ident_attr, None, None) if ident_attr else None
    if new_ident is not None and store.identifiers.get(new_ident, uid) != uid:
        errors.append(violation("identifier", "The same identifier is already set on another "
                                "product", ident_attr, None, None))
    errors.extend(_unique_errors(store, sent, uid))
    if new["parent"]:
        parent_model = store.product_models[new["parent"]]
        if new["family"] is None or "family" not in patch:
            new["family"] = parent_model["family"] if (
                current is None or "parent" in patch or new["family"] is None) else new["family"]
        if new["family"] != parent_model["family"]:
            errors.append(violation("family", "The variant product family must be the same "
                                    "than its parent"))
        else:
            variant = store.family_variant(parent_model["family"],
                                           parent_model["family_variant"])
            assert variant is not None  # noqa: S101 - models always have a valid variant
            last = max(s["level"] for s in variant["variant_attribute_sets"])
            if model_level(store, new["parent"]) != last - 1:
                errors.append(violation("parent", f'The variant product "{new_ident or uid}" '
                                        f'cannot have product model "{new["parent"]}" as parent, '
                                        "(this product model can only have other product "
                                        "models as children)"))
            else:
                siblings = [store.products[s] for s in store.child_products.get(new["parent"], ())
                            if s != uid]
                label = f'variant product "{new_ident or uid}"'
                new["values"], more = _variant_errors(
                    store, new["family"], variant, last, new["parent"], new["values"],
                    sent, current, siblings, label)
                errors.extend(more)
    if errors:
        raise validation_failed(errors)
    if current is not None:
        if _same(current, new):
            return 204, uid
        new["updated"] = _stamp(store, "product", uid)
    else:
        stamp = _stamp(store, "product", uid)
        new["created"] = stamp
        new["updated"] = stamp
    _commit_product(store, uid, current, new)
    return (204 if current is not None else 201), uid


def _same(current: dict[str, Any], new: dict[str, Any]) -> bool:
    for key, value in new.items():
        if key in ("created", "updated"):
            continue
        if current.get(key) != value:
            return False
    return True


def _commit_product(store: Store, uid: str, current: dict[str, Any] | None,
                    new: dict[str, Any]) -> None:
    ident_attr = store.identifier_attribute
    if current is not None:
        old_ident = _value_at(current["values"], ident_attr, None, None) if ident_attr else None
        if old_ident is not None and store.identifiers.get(old_ident) == uid:
            del store.identifiers[old_ident]
        if current.get("parent"):
            store.child_products.get(current["parent"], set()).discard(uid)
    new_ident = _value_at(new["values"], ident_attr, None, None) if ident_attr else None
    if new_ident is not None:
        store.identifiers[new_ident] = uid
    if new.get("parent"):
        store.child_products.setdefault(new["parent"], set()).add(uid)
    _reindex_unique(store, uid, current["values"] if current else None, new["values"])
    store.products[uid] = new


def delete_product(store: Store, uid: str) -> None:
    """Remove a product and its index entries."""
    current = store.products.pop(uid)
    ident_attr = store.identifier_attribute
    ident = _value_at(current["values"], ident_attr, None, None) if ident_attr else None
    if ident is not None:
        store.identifiers.pop(ident, None)
    if current.get("parent"):
        store.child_products.get(current["parent"], set()).discard(uid)
    _reindex_unique(store, uid, current["values"], {})


def load_product(store: Store, item: dict[str, Any]) -> int:
    """Load a catalog product (``identifier`` given; a uuid is generated when absent)."""
    body = dict(item)
    identifier = body.get("identifier")
    uid = body.pop("uuid", None)
    if uid is not None:
        body.pop("identifier", None)
        ident_attr = store.identifier_attribute
        if identifier is not None and ident_attr:
            body["values"] = {**body.get("values", {}), ident_attr: [
                {"locale": None, "scope": None, "data": identifier}]}
        status, _ = upsert_product(store, body, uuid=uid, check_media=False)
        return status
    if not isinstance(identifier, str):
        raise ApiError(422, "Identifier is missing.")
    status, _ = upsert_product(store, body, identifier=identifier, check_media=False)
    return status


# -- product models -------------------------------------------------------------------------
def upsert_model(store: Store, code: str, patch: dict[str, Any], *, check_media: bool = True,
                 create_only: bool = False) -> int:
    """Create or update a product model; returns 201 or 204."""
    if not isinstance(patch, dict):
        raise ApiError(400, "Invalid json message received")
    if "code" in patch and patch["code"] != code:
        raise unprocessable(f'The code "{patch["code"]}" provided in the request body must match '
                            f'the code "{code}" provided in the url.', doc=None)
    current = store.product_models.get(code)
    if current is not None and create_only:
        raise validation_failed([violation("code", "The same code is already set on another "
                                           "product model")])
    for key in patch:
        if key not in MODEL_KEYS and key not in READ_ONLY:
            raise _unknown_property(key)
    base = current or {"code": code, "family": None, "family_variant": None, "parent": None,
                       "categories": [], "values": {}, "associations": {},
                       "quantified_associations": {}}
    new = dict(base)
    errors: list[dict[str, Any]] = []
    if "family_variant" in patch:
        fv_code = patch["family_variant"]
        if not isinstance(fv_code, str) or not fv_code:
            raise _expects("family_variant", "a string", fv_code)
        if current is not None and fv_code != current["family_variant"]:
            errors.append(violation("family_variant", 'Property "family_variant" cannot be '
                                    f'modified, "{fv_code}" given.'))
        found = store.find_family_variant(fv_code)
        if found is None:
            raise unprocessable(f'Property "family_variant" expects a valid family variant code. '
                                f'The family variant does not exist, "{fv_code}" given.',
                                doc=PRODUCT_DOC)
        new["family_variant"] = fv_code
        new["family"] = found[0]
    if "parent" in patch:
        parent = _parent_code(store, patch["parent"])
        if current is not None and (parent or None) != current["parent"] and not (
                current["parent"] and parent):
            errors.append(violation("parent", "The parent of a product model cannot be added "
                                    "or removed."))
        new["parent"] = parent or None
        if parent and new["family_variant"] is None:
            new["family_variant"] = store.product_models[parent]["family_variant"]
            new["family"] = store.product_models[parent]["family"]
    if new["family_variant"] is None:
        raise validation_failed([violation("family_variant", "The product model family variant "
                                           "must not be empty.")])
    if "family" in patch and patch["family"] != new["family"]:
        errors.append(violation("family", f'The family of the product model must be the family '
                                f'of its family variant, "{new["family"]}".'))
    if "categories" in patch:
        new["categories"] = _check_categories(store, patch["categories"])
    checker = ValueChecker.of(store, check_media)
    sent: dict[str, list[tuple[Any, Any, Any]]] = {}
    if "values" in patch:
        new["values"], more, sent = apply_values(store, checker, new["values"], patch["values"])
        errors.extend(more)
    if "associations" in patch:
        new["associations"] = _apply_associations(store, base["associations"],
                                                  patch["associations"], True, False)
    if "quantified_associations" in patch:
        new["quantified_associations"] = _apply_associations(
            store, base["quantified_associations"], patch["quantified_associations"], True, True)
    variant = store.family_variant(new["family"], new["family_variant"])
    assert variant is not None  # noqa: S101 - checked above
    levels = max(s["level"] for s in variant["variant_attribute_sets"])
    level = 0
    if new["parent"]:
        parent_model = store.product_models[new["parent"]]
        if parent_model["family_variant"] != new["family_variant"]:
            errors.append(violation("parent", f'The product model "{code}" cannot have a parent '
                                    "with a different family variant"))
            raise validation_failed(errors)
        level = model_level(store, new["parent"]) + 1
        if new["parent"] == code:
            errors.append(violation("parent", "A product model cannot be its own parent."))
    if level >= levels:
        errors.append(violation("parent", f'The product model "{code}" cannot have the product '
                                f'model "{new["parent"]}" as parent: its family variant has '
                                f"{levels} level(s) and the last one holds variant products."))
        raise validation_failed(errors)
    siblings = [store.product_models[c] for c in store.child_models.get(new["parent"] or "", ())
                if c != code] if new["parent"] else []
    new["values"], more = _variant_errors(store, new["family"], variant, level, new["parent"],
                                          new["values"], sent, current, siblings,
                                          f'product model "{code}"')
    errors.extend(more)
    if errors:
        raise validation_failed(errors)
    if current is not None:
        if _same(current, new):
            return 204
        new["updated"] = _stamp(store, "product_model", code)
        if current.get("parent"):
            store.child_models.get(current["parent"], set()).discard(code)
    else:
        stamp = _stamp(store, "product_model", code)
        new["created"] = stamp
        new["updated"] = stamp
    if new["parent"]:
        store.child_models.setdefault(new["parent"], set()).add(code)
    store.product_models[code] = new
    return 204 if current is not None else 201


# -- rendering ------------------------------------------------------------------------------
def _render_associations(store: Store, stored: dict[str, Any], by_identifier: bool,
                         quantified: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    ident_attr = store.identifier_attribute
    for type_code, assoc in store.association_types.items():
        if bool(assoc.get("is_quantified")) != quantified:
            continue
        links = stored.get(type_code) or _empty_links(quantified)
        entry: dict[str, Any] = {}
        for kind, refs in links.items():
            rendered = []
            for ref in refs:
                target = ref["ref"] if quantified else ref
                if kind == "products" and by_identifier:
                    product = store.products.get(target)
                    target = _value_at(product["values"], ident_attr, None, None) if (
                        product and ident_attr) else None
                if quantified:
                    key = ("identifier" if by_identifier else "uuid") if kind == "products" \
                        else "identifier"
                    rendered.append({key: target, "quantity": ref["quantity"]})
                else:
                    rendered.append(target)
            entry[kind] = rendered
        out[type_code] = entry
    return out


def trim_values(values: Values, args: Any) -> Values:
    """Apply the ``scope``, ``locales`` and ``attributes`` query parameters."""
    scope = args.get("scope")
    locales = args.get("locales")
    attributes = args.get("attributes")
    if not (scope or locales or attributes):
        return values
    wanted_locales = set(locales.split(",")) if locales else None
    wanted_attrs = set(attributes.split(",")) if attributes else None
    out: Values = {}
    for code, entries in values.items():
        if wanted_attrs is not None and code not in wanted_attrs:
            continue
        kept = [e for e in entries
                if (scope is None or e["scope"] in (None, scope))
                and (wanted_locales is None or e["locale"] is None
                     or e["locale"] in wanted_locales)]
        if kept:
            out[code] = kept
    return out


def _linked_data(store: Store, values: Values) -> Values:
    out: Values = {}
    for code, entries in values.items():
        attr = store.attributes.get(code)
        if attr is None or attr["type"] not in ("pim_catalog_simpleselect",
                                                "pim_catalog_multiselect"):
            out[code] = entries
            continue
        options = store.options.get(code, {})
        rendered = []
        for entry in entries:
            data = entry["data"]
            if isinstance(data, list):
                linked: dict[str, Any] = {
                    c: {"attribute": code, "code": c,
                        "labels": dict(options.get(c, {}).get("labels", {}))} for c in data}
            else:
                linked = {"attribute": code, "code": data,
                          "labels": dict(options.get(data, {}).get("labels", {}))}
            rendered.append({**entry, "linked_data": linked})
        out[code] = rendered
    return out


def _categories(store: Store, entity: dict[str, Any]) -> list[str]:
    chain = ancestors(store, entity.get("parent"))
    if not chain:
        return list(entity["categories"])
    merged: list[str] = []
    for model in chain:
        merged.extend(model["categories"])
    merged.extend(entity["categories"])
    return list(dict.fromkeys(merged))


def render_product(store: Store, product: dict[str, Any], by_identifier: bool,
                   args: Any = None) -> dict[str, Any]:
    """A product as ``/products-uuid`` (or ``/products``) returns it, without ``_links``."""
    values = effective_values(store, product)
    if args is not None:
        values = trim_values(values, args)
        if args.get("with_attribute_options") == "true":
            values = _linked_data(store, values)
    out: dict[str, Any] = {}
    if by_identifier:
        ident_attr = store.identifier_attribute
        out["identifier"] = _value_at(product["values"], ident_attr, None, None) if (
            ident_attr) else None
    out.update({
        "uuid": product["uuid"], "enabled": product["enabled"], "family": product["family"],
        "categories": _categories(store, product), "groups": list(product["groups"]),
        "parent": product["parent"], "values": values, "created": product["created"],
        "updated": product["updated"],
        "associations": _render_associations(store, product["associations"], by_identifier,
                                             False),
        "quantified_associations": _render_associations(
            store, product["quantified_associations"], by_identifier, True),
    })
    return out


def render_model(store: Store, model: dict[str, Any], args: Any = None) -> dict[str, Any]:
    """A product model as ``/product-models`` returns it, without ``_links``."""
    values = effective_values(store, model)
    if args is not None:
        values = trim_values(values, args)
        if args.get("with_attribute_options") == "true":
            values = _linked_data(store, values)
    return {
        "code": model["code"], "family": model["family"],
        "family_variant": model["family_variant"], "parent": model["parent"],
        "categories": _categories(store, model), "values": values,
        "created": model["created"], "updated": model["updated"],
        "associations": _render_associations(store, model["associations"], True, False),
        "quantified_associations": _render_associations(
            store, model["quantified_associations"], True, True),
    }


def product_identifier(store: Store, product: dict[str, Any]) -> str | None:
    """The product's identifier value (``None`` for a product without one)."""
    ident_attr = store.identifier_attribute
    return _value_at(product["values"], ident_attr, None, None) if ident_attr else None
