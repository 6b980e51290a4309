"""Product value validation per attribute type, as Akeneo checks it.

Type errors (the data has the wrong JSON shape) are answered as Akeneo does, with a single
422 message; constraint failures (unknown option, too long, not activated locale, ...) are
collected as violations ``{property, message, attribute, locale, scope}``.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from .errors import ApiError, violation
from .merge import php_type
from .value_rules import PLAIN_DECIMAL, TEXT_MAX, TEXTAREA_MAX, AttributeRule, make_rule

if TYPE_CHECKING:
    from .store import Store

FORMAT_DOC = "http://api.akeneo.com/api-reference.html#patch_products_uuid__uuid_"
TABLE_MAX_ROWS = 100
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
URL_RE = re.compile(r"^https?://\S+$")

Violations = list[dict[str, Any]]


def type_error(attribute: str, expected: str, given: Any) -> ApiError:
    """Akeneo's message-only 422 for data of the wrong shape."""
    return ApiError(422, f'Property "{attribute}" expects {expected} as data, '
                    f'"{_given(given)}" given. Check the expected format on the API documentation.',
                    doc=FORMAT_DOC)


def key_error(attribute: str, key: str) -> ApiError:
    """Akeneo's 422 when an object lacks a key."""
    return ApiError(422, f'Property "{attribute}" expects an array with the key "{key}". Check '
                    "the expected format on the API documentation.", doc=FORMAT_DOC)


def _given(value: Any) -> str:
    return value if isinstance(value, str) else php_type(value)


def _decimal(attribute: str, value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise type_error(attribute, "a numeric", value)
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise type_error(attribute, "a numeric", value) from None
    if not number.is_finite():
        raise type_error(attribute, "a numeric", value)
    return number


def _number_store(value: Any, number: Decimal, decimals: bool) -> Any:
    """Stored form: integer when decimals are not allowed, else a decimal string."""
    if not decimals:
        return int(number)
    if isinstance(value, str):
        return value.strip()
    return str(value) if isinstance(value, int) else format(number, "f")


class ValueChecker:
    """Checks one (attribute, locale, scope, data) value; knows the store's lookups."""

    def __init__(self, store: Store, check_media: bool = True) -> None:
        self.store = store
        self.check_media = check_media
        self.checks = {name[1:]: getattr(self, name) for name in dir(self)
                       if name.startswith(("_pim_", "_akeneo_"))}
        self.rules: dict[str, AttributeRule] = {}

    @classmethod
    def of(cls, store: Store, check_media: bool = True) -> ValueChecker:
        """A checker for the store, reused while the structure does not change."""
        key = ("checker", check_media)
        checker = store.caches.get(key)
        if checker is None:
            checker = store.caches[key] = cls(store, check_media)
        return checker

    def rule(self, code: str) -> AttributeRule | None:
        """The attribute's value rule (``None`` for an unknown attribute), built once."""
        rule = self.rules.get(code)
        if rule is None:
            attr = self.store.attributes.get(code)
            if attr is None:
                return None
            rule = self.rules[code] = make_rule(self.store, attr, self.checks.get(attr["type"]))
        return rule

    def check_context(self, rule: AttributeRule, locale: Any,
                      scope: Any) -> tuple[dict[str, Any], ...]:
        """Locale and scope must match the attribute's flags and the channels' locales.

        The answer is kept in the rule; a locale or scope of the wrong type raises.
        """
        found = tuple(self._context(rule.attr, locale, scope))
        rule.contexts[(locale, scope)] = found
        return found

    def _context(self, attr: dict[str, Any], locale: Any, scope: Any) -> Violations:
        code = attr["code"]
        store = self.store
        out: Violations = []

        def add(message: str) -> None:
            out.append(violation("values", message, code, locale, scope))

        if locale is not None and not isinstance(locale, str):
            raise type_error(code, 'a string or null as "locale"', locale)
        if scope is not None and not isinstance(scope, str):
            raise type_error(code, 'a string or null as "scope"', scope)
        if attr["scopable"]:
            if scope is None:
                add(f'Attribute "{code}" expects a channel code, none given.')
            elif scope not in store.channels:
                add(f'Attribute "{code}" expects an existing channel code, "{scope}" given.')
        elif scope is not None:
            add(f'Attribute "{code}" does not expect a channel code, "{scope}" given.')
        if attr["localizable"]:
            if locale is None:
                add(f'Attribute "{code}" expects a locale code, none given.')
            elif locale not in store.enabled_locales:
                add(f'Attribute "{code}" expects an existing and activated locale code, '
                    f'"{locale}" given.')
            elif scope is not None and scope in store.channels and locale not in (
                    store.channels[scope]["locales"]):
                add(f'Attribute "{code}" expects a locale activated for the channel '
                    f'"{scope}", "{locale}" given.')
            available = attr.get("available_locales") or []
            if available and locale is not None and locale not in available:
                add(f'Attribute "{code}" is locale specific: "{locale}" is not one of its '
                    f"locales ({', '.join(available)}).")
        elif locale is not None:
            add(f'Attribute "{code}" does not expect a locale code, "{locale}" given.')
        return out

    def check_data(self, attr: dict[str, Any], data: Any, locale: Any,
                   scope: Any) -> tuple[Any, Violations]:
        """Validate ``data`` for the attribute type; returns (stored form, violations)."""
        method = self.checks.get(attr["type"])
        if method is None:
            return data, []
        stored, messages = method(attr, data)
        if not messages:
            return stored, messages
        return stored, [violation("values", m, attr["code"], locale, scope) for m in messages]

    # -- per type ----------------------------------------------------------------------------
    def _text(self, attr: dict[str, Any], data: Any, limit: int) -> tuple[Any, list[str]]:
        if not isinstance(data, str):
            raise type_error(attr["code"], "a string", data)
        out: list[str] = []
        max_chars = attr["max_characters"] or limit
        if len(data) > max_chars:
            out.append(f"This value is too long. It should have {max_chars} characters or less.")
        rule = attr["validation_rule"]
        if not rule:
            return data, out
        if rule == "email" and not EMAIL_RE.match(data):
            out.append("This value is not a valid email address.")
        elif rule == "url" and not URL_RE.match(data):
            out.append("This value is not a valid URL.")
        elif rule == "regexp" and attr.get("validation_regexp"):
            pattern = attr["validation_regexp"].strip("/")
            try:
                if not re.search(pattern, data):
                    out.append("This value is not valid.")
            except re.error:
                pass
        return data, out

    def _pim_catalog_identifier(self, attr: dict[str, Any], data: Any) -> tuple[Any, list[str]]:
        stored, out = self._text(attr, data, TEXT_MAX)
        if isinstance(data, str) and (data != data.strip() or any(c in data for c in ",;\n")):
            out.append("This field should not contain any comma, semicolon or leading/trailing "
                       "space")
        return stored, out

    def _pim_catalog_text(self, attr: dict[str, Any], data: Any) -> tuple[Any, list[str]]:
        if (type(data) is str and not attr["validation_rule"] and "\n" not in data
                and len(data) <= (attr["max_characters"] or TEXT_MAX)):
            return data, []
        stored, out = self._text(attr, data, TEXT_MAX)
        if isinstance(data, str) and "\n" in data:
            out.append("This value should not contain line breaks.")
        return stored, out

    def _pim_catalog_textarea(self, attr: dict[str, Any], data: Any) -> tuple[Any, list[str]]:
        if type(data) is str and len(data) <= (attr["max_characters"] or TEXTAREA_MAX):
            return data, []
        return self._text(attr, data, TEXTAREA_MAX)

    def _pim_catalog_boolean(self, attr: dict[str, Any], data: Any) -> tuple[Any, list[str]]:
        if not isinstance(data, bool):
            raise type_error(attr["code"], "a boolean", data)
        return data, []

    def _amount(self, attr: dict[str, Any], value: Any) -> tuple[Any, list[str]]:
        decimals = bool(attr["decimals_allowed"])
        if attr["number_min"] in (None, "") and attr["number_max"] in (None, ""):
            # The common, unbounded cases without Decimal arithmetic.
            if type(value) is int and (value >= 0 or attr["negative_allowed"] is not False):
                return (str(value) if decimals else value), []
            if (decimals and type(value) is str and PLAIN_DECIMAL.match(value)
                    and (value[0] != "-" or attr["negative_allowed"] is not False)):
                return value, []
        number = _decimal(attr["code"], value)
        out: list[str] = []
        if not decimals and number != number.to_integral_value():
            out.append("This value should not be a decimal.")
            return value, out
        if attr.get("negative_allowed") is False and number < 0:
            out.append("This value should be greater than or equal to 0.")
        low, high = attr.get("number_min"), attr.get("number_max")
        if low not in (None, "") and number < Decimal(str(low)):
            out.append(f"This value should be greater than or equal to {low}.")
        if high not in (None, "") and number > Decimal(str(high)):
            out.append(f"This value should be less than or equal to {high}.")
        return _number_store(value, number, decimals), out

    def _pim_catalog_number(self, attr: dict[str, Any], data: Any) -> tuple[Any, list[str]]:
        return self._amount(attr, data)

    def _pim_catalog_metric(self, attr: dict[str, Any], data: Any) -> tuple[Any, list[str]]:
        code = attr["code"]
        if not isinstance(data, dict):
            raise type_error(code, "an array", data)
        for key in ("amount", "unit"):
            if key not in data:
                raise key_error(code, key)
        unit = data["unit"]
        if not isinstance(unit, str):
            raise type_error(code, 'a string as "unit"', unit)
        out: list[str] = []
        family = self.store.measurement_families.get(attr.get("metric_family") or "")
        if family is None or unit not in family["units"]:
            out.append(f'The unit "{unit}" does not exist in the measurement family '
                       f'"{attr.get("metric_family")}".')
        if data["amount"] is None:
            return {"amount": None, "unit": unit}, out
        amount, more = self._amount(attr, data["amount"])
        return {"amount": amount, "unit": unit}, out + more

    def _pim_catalog_price_collection(self, attr: dict[str, Any],
                                      data: Any) -> tuple[Any, list[str]]:
        code = attr["code"]
        if not isinstance(data, list):
            raise type_error(code, "an array", data)
        out: list[str] = []
        prices: dict[str, dict[str, Any]] = {}
        for price in data:
            if not isinstance(price, dict):
                raise type_error(code, "an array of prices", price)
            for key in ("amount", "currency"):
                if key not in price:
                    raise key_error(code, key)
            currency = price["currency"]
            if not isinstance(currency, str):
                raise type_error(code, 'a string as "currency"', currency)
            if currency not in self.store.enabled_currencies:
                out.append(f'The currency "{currency}" has to be activated.')
            if currency in prices:
                out.append(f'The same currency "{currency}" must not be set twice.')
            if price["amount"] is None:
                prices[currency] = {"amount": None, "currency": currency}
                continue
            amount, more = self._amount(attr, price["amount"])
            out.extend(more)
            prices[currency] = {"amount": amount, "currency": currency}
        return [prices[c] for c in sorted(prices)], out

    def _pim_catalog_date(self, attr: dict[str, Any], data: Any) -> tuple[Any, list[str]]:
        code = attr["code"]
        if not isinstance(data, str):
            raise type_error(code, 'a string with the format "yyyy-mm-dd"', data)
        try:
            day = date.fromisoformat(data[:10])
            if len(data) > 10:
                datetime.fromisoformat(data.replace("Z", "+00:00"))
        except ValueError:
            raise ApiError(422, f'Property "{code}" expects a string with the format '
                           f'"yyyy-mm-dd" as data, "{data}" given.', doc=FORMAT_DOC) from None
        out: list[str] = []
        for key, cmp, word in (("date_min", lambda d, b: d < b, "greater"),
                               ("date_max", lambda d, b: d > b, "less")):
            bound = attr.get(key)
            if bound:
                try:
                    limit = date.fromisoformat(str(bound)[:10])
                except ValueError:
                    continue
                if cmp(day, limit):
                    out.append(f"This date should be {word} than or equal to {limit}.")
        return f"{day.isoformat()}T00:00:00+00:00", out

    def _options(self, attr: dict[str, Any], codes: list[str]) -> tuple[list[str], list[str]]:
        table = self.store.options.get(attr["code"], {})
        canonical: list[str] = []
        unknown: list[str] = []
        for code in codes:
            if code in table:
                canonical.append(code)
                continue
            lowered = self.store.caches.get(("options", attr["code"]))
            if lowered is None:
                lowered = {c.lower(): c for c in table}
                self.store.caches[("options", attr["code"])] = lowered
            if code.lower() in lowered:
                canonical.append(lowered[code.lower()])
            else:
                unknown.append(code)
        return canonical, unknown

    def _pim_catalog_simpleselect(self, attr: dict[str, Any], data: Any) -> tuple[Any, list[str]]:
        if not isinstance(data, str):
            raise type_error(attr["code"], "a string", data)
        canonical, unknown = self._options(attr, [data])
        if unknown:
            return data, [f'The {data} value is not in the {attr["code"]} attribute option '
                          "list."]
        return canonical[0], []

    def _pim_catalog_multiselect(self, attr: dict[str, Any], data: Any) -> tuple[Any, list[str]]:
        code = attr["code"]
        if not isinstance(data, list) or not all(isinstance(d, str) for d in data):
            raise type_error(code, "an array of strings", data)
        canonical, unknown = self._options(attr, data)
        if unknown:
            plural = "values are" if len(unknown) > 1 else "value is"
            return data, [f"The {', '.join(unknown)} {plural} not in the {code} attribute "
                          "option list."]
        return list(dict.fromkeys(canonical)), []

    def _pim_reference_data_simpleselect(self, attr: dict[str, Any],
                                         data: Any) -> tuple[Any, list[str]]:
        if not isinstance(data, str):
            raise type_error(attr["code"], "a string", data)
        return data, []

    def _pim_reference_data_multiselect(self, attr: dict[str, Any],
                                        data: Any) -> tuple[Any, list[str]]:
        if not isinstance(data, list) or not all(isinstance(d, str) for d in data):
            raise type_error(attr["code"], "an array of strings", data)
        return data, []

    def _records(self, attr: dict[str, Any], codes: list[str]) -> list[str]:
        entity = attr.get("reference_data_name") or ""
        records = self.store.re_records.get(entity, {})
        return [f'The record "{c}" does not exist in the reference entity "{entity}".'
                for c in codes if c not in records]

    def _akeneo_reference_entity(self, attr: dict[str, Any], data: Any) -> tuple[Any, list[str]]:
        if not isinstance(data, str):
            raise type_error(attr["code"], "a string", data)
        return data, self._records(attr, [data])

    def _akeneo_reference_entity_collection(self, attr: dict[str, Any],
                                            data: Any) -> tuple[Any, list[str]]:
        if not isinstance(data, list) or not all(isinstance(d, str) for d in data):
            raise type_error(attr["code"], "an array of strings", data)
        return list(dict.fromkeys(data)), self._records(attr, data)

    def _pim_catalog_asset_collection(self, attr: dict[str, Any],
                                      data: Any) -> tuple[Any, list[str]]:
        if not isinstance(data, list) or not all(isinstance(d, str) for d in data):
            raise type_error(attr["code"], "an array of strings", data)
        family = attr.get("reference_data_name") or ""
        assets = self.store.assets.get(family, {})
        return list(dict.fromkeys(data)), [
            f'The asset "{c}" does not exist in the asset family "{family}".'
            for c in data if c not in assets]

    def _media(self, attr: dict[str, Any], data: Any) -> tuple[Any, list[str]]:
        if not isinstance(data, str):
            raise type_error(attr["code"], "a string", data)
        if not self.check_media:
            return data, []
        media = self.store.media.get(data)
        if media is None:
            return data, [f'The media file "{data}" does not exist.']
        allowed = [e.lower() for e in attr.get("allowed_extensions") or []]
        ext = media.describe()["extension"]
        if allowed and ext not in allowed:
            return data, [f'The file extension is not allowed (allowed extensions: '
                          f'{", ".join(allowed)}).']
        return data, []

    def _pim_catalog_image(self, attr: dict[str, Any], data: Any) -> tuple[Any, list[str]]:
        return self._media(attr, data)

    def _pim_catalog_file(self, attr: dict[str, Any], data: Any) -> tuple[Any, list[str]]:
        return self._media(attr, data)

    def _pim_catalog_product_link(self, attr: dict[str, Any], data: Any) -> tuple[Any, list[str]]:
        code = attr["code"]
        if not isinstance(data, dict) or data.get("type") not in ("product", "product_model"):
            raise type_error(code, 'an object with "type" product or product_model', data)
        ref = data.get("id") if "id" in data else data.get("identifier")
        if not isinstance(ref, str):
            raise key_error(code, "id")
        if data["type"] == "product_model":
            found = ref in self.store.product_models
        elif "identifier" in data:
            found = ref in self.store.identifiers
        else:
            found = ref in self.store.products
        if not found:
            return data, [f'The linked {data["type"]} "{ref}" does not exist.']
        return dict(data), []

    def _pim_catalog_table(self, attr: dict[str, Any], data: Any) -> tuple[Any, list[str]]:
        code = attr["code"]
        if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
            raise type_error(code, "an array of rows", data)
        columns = {c["code"]: c for c in attr.get("table_configuration") or []}
        first = next(iter(columns), None)
        out: list[str] = []
        if len(data) > TABLE_MAX_ROWS:
            out.append(f"A table value holds at most {TABLE_MAX_ROWS} rows.")
        seen: set[str] = set()
        for number, row in enumerate(data, start=1):
            for key, cell in row.items():
                column = columns.get(key)
                if column is None:
                    out.append(f'Row {number}: the column "{key}" does not exist.')
                    continue
                out.extend(f"Row {number}, column {key}: {m}" for m in _cell_errors(column, cell))
            if first is not None:
                key_cell = row.get(first)
                if key_cell in (None, ""):
                    out.append(f'Row {number}: the first column "{first}" is required.')
                elif str(key_cell).lower() in seen:
                    out.append(f'Row {number}: the value "{key_cell}" of the first column is '
                               "already used in another row.")
                else:
                    seen.add(str(key_cell).lower())
        return [dict(r) for r in data], out


def _cell_errors(column: dict[str, Any], cell: Any) -> list[str]:
    kind = column.get("data_type")
    rules = column.get("validations") or {}
    if cell is None:
        return []
    if kind == "select":
        if not isinstance(cell, str):
            return ["a select cell expects an option code."]
        options = column.get("options")
        if options is not None and cell.lower() not in {o["code"].lower() for o in options}:
            return [f'"{cell}" is not an option of this column.']
        return []
    if kind in ("number", "incremental_number"):
        if isinstance(cell, bool) or not isinstance(cell, int | float | str):
            return ["a number cell expects a number."]
        try:
            number = Decimal(str(cell))
        except InvalidOperation:
            return ["a number cell expects a number."]
        errs = []
        if not rules.get("decimals_allowed") and number != number.to_integral_value():
            errs.append("this cell does not accept decimals.")
        if rules.get("min") is not None and number < Decimal(str(rules["min"])):
            errs.append(f"the value should be at least {rules['min']}.")
        if rules.get("max") is not None and number > Decimal(str(rules["max"])):
            errs.append(f"the value should be at most {rules['max']}.")
        return errs
    if kind == "text":
        if not isinstance(cell, str):
            return ["a text cell expects a string."]
        max_length = rules.get("max_length")
        if max_length and len(cell) > max_length:
            return [f"the text is longer than {max_length} characters."]
        return []
    if kind == "boolean" and not isinstance(cell, bool):
        return ["a boolean cell expects true or false."]
    if kind == "date":
        try:
            date.fromisoformat(str(cell)[:10])
        except ValueError:
            return ["a date cell expects a yyyy-mm-dd date."]
    if kind == "measurement" and not (isinstance(cell, dict) and "amount" in cell
                                      and "unit" in cell):
        return ['a measurement cell expects {"amount", "unit"}.']
    return []
