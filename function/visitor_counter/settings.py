"""The handler's settings, read from the environment and validated once per container."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final
from urllib.parse import urlsplit

from visitor_counter import schema

# DynamoDB's own rule for table names.
TABLE_NAME: Final = re.compile(r"^[A-Za-z0-9_.-]{3,255}$")
_TABLE_NAME_OR_EMPTY = re.compile(rf"^(?:{TABLE_NAME.pattern[1:-1]})?$")
_SITE_ID = re.compile(r"^[A-Za-z0-9_.:/-]{1,128}$")
_SECRET = re.compile(r"[A-Za-z0-9_-]{32,128}")
# An IAM role's ARN (IAM's own limits: a path, a name of at most 64 characters).
_ROLE_ARN = re.compile(
    r"arn:aws[a-z-]*:iam::[0-9]{12}:role/(?:[A-Za-z0-9_+=,.@-]+/)*[A-Za-z0-9_+=,.@-]{1,64}"
)
# An origin's host as a browser sends it: DNS labels (or an IPv4 address); no wildcard.
# The config's (resume.other_sites.SITE_ID): a key prefix and a query value.
_OTHER_SITE_ID = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?")
_ORIGIN_HOST = re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")
LOG_LEVELS: Final = ("DEBUG", "INFO", "WARNING", "ERROR")
STATS_ACCESS: Final = ("private", "public")
# Ten years of days: DynamoDB's TTL takes any epoch second, but a bound catches a typo.
MAX_RETENTION_DAYS = 3650
# The bounds of the settings a deployment may choose, inclusive (resume.config checks them
# at synth with the same numbers).
CLIENT_HOUR_VIEWS_RANGE: Final = (1, 100_000)
DAY_VIEWS_RANGE: Final = (1, 100_000_000)
RETENTION_DAYS_RANGE: Final = (1, MAX_RETENTION_DAYS)
WRITE_SHARDS_RANGE: Final = (1, schema.MAX_WRITE_SHARDS)
ORIGIN_SEPARATOR: Final = ","
# OTHER_SITES: "shop=https://shop.example|https://www.shop.example;docs=https://docs.example".
SITE_SEPARATOR: Final = ";"
ORIGIN_LIST_SEPARATOR: Final = "|"
# The environment variable each Settings field is read from: the one place its name is
# written. The infrastructure writes the function's environment through
# deployed_environment(); the Lambda runtime sets the region (AWS_REGION) itself.
VARIABLES: Final = {
    "table_name": "TABLE_NAME",
    "daily_table_name": "DAILY_TABLE_NAME",
    "history_table_name": "HISTORY_TABLE_NAME",
    "site_id": "SITE_ID",
    "allowed_origins": "ALLOWED_ORIGINS",
    "max_body_bytes": "MAX_BODY_BYTES",
    "max_header_bytes": "MAX_HEADER_BYTES",
    "cors_max_age_s": "CORS_MAX_AGE_S",
    "dynamodb_connect_timeout_s": "DYNAMODB_CONNECT_TIMEOUT_S",
    "dynamodb_read_timeout_s": "DYNAMODB_READ_TIMEOUT_S",
    "dynamodb_max_attempts": "DYNAMODB_MAX_ATTEMPTS",
    "log_level": "LOG_LEVEL",
    "max_views_per_client_hour": "MAX_VIEWS_PER_CLIENT_HOUR",
    "max_views_per_day": "MAX_VIEWS_PER_DAY",
    "known_pages_refresh_s": "KNOWN_PAGES_REFRESH_S",
    "stats_access": "STATS_ACCESS",
    "stats_retention_days": "STATS_RETENTION_DAYS",
    "write_shards": "WRITE_SHARDS",
    "event_names": "EVENT_NAMES",
    "origin_secret": "ORIGIN_SECRET",
    "other_sites": "OTHER_SITES",
    "sites_role_arn": "SITES_ROLE_ARN",
}


class SettingsError(ValueError):
    """An environment variable holds a value the handler cannot work with."""


@dataclass(frozen=True)
class Settings:
    """Everything the handler reads from its environment."""

    table_name: str = schema.DEFAULT_TABLE_NAME
    # Salts and per-client items; "" means the counter table's name + "-daily".
    daily_table_name: str = ""
    # Views per day; "" means the counter table's name + "-history".
    history_table_name: str = ""
    site_id: str = schema.DEFAULT_SITE_ID
    allowed_origins: frozenset[str] = frozenset({"http://localhost:4321"})
    region: str = "eu-west-2"
    max_body_bytes: int = 1024
    # All header names and values together; API Gateway's own ceiling is 10 KiB.
    max_header_bytes: int = 8192
    cors_max_age_s: int = 600
    dynamodb_connect_timeout_s: float = 1.0
    dynamodb_read_timeout_s: float = 2.0
    # Attempts of a call DynamoDB cannot have applied (throttled, never connected); kept
    # low so a request fails fast with 503 instead of running into the Lambda timeout.
    dynamodb_max_attempts: int = 2
    log_level: str = "INFO"
    # One client (address) adds at most this many views of a page per UTC hour.
    max_views_per_client_hour: int = 30
    # The site's counted views a UTC day at most: past it, counting stops until midnight
    # (a ceiling on what abuse can cost; ~600,000 views a month, ~$3 of writes at most).
    max_views_per_day: int = 20_000
    # How long a container uses the known-pages list before reading it again.
    known_pages_refresh_s: int = 300
    # "private": the stats routes need the owner's token; "public": anyone may read them.
    stats_access: str = "private"
    # Days of history kept after a day ends (the history items' TTL).
    stats_retention_days: int = 400
    # The keys every view may write are split this many ways (schema.shard_key): a view
    # writes one shard (each in turn, wiring.round_robin), and reads sum them all. 1: no split.
    write_shards: int = 1
    # The event names counted (schema.EVENT_NAMES_ALLOWED: "*" ends a prefix; "*": any).
    event_names: tuple[str, ...] = ("*",)
    # The header value the site's distribution sends with every /api request (viewer.py);
    # "": no distribution in front, so no country and no forwarded host is believed.
    origin_secret: str = ""
    # The deployment's other sites (sites.py): (site id, its allowed origins), each counted,
    # stored and read apart, under its own id; "" in the environment: none.
    other_sites: tuple[tuple[str, frozenset[str]], ...] = ()
    # The role each other site's items are read and written with, in a session tagged with
    # the site's id (site_sessions.py); "" when there is no other site.
    sites_role_arn: str = ""

    @property
    def daily_table(self) -> str:
        """The daily table's name."""
        return self.daily_table_name or schema.daily_table_name(self.table_name)

    @property
    def history_table(self) -> str:
        """The history table's name."""
        return self.history_table_name or schema.history_table_name(self.table_name)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Settings:
        """Build settings from environment variables; raise SettingsError naming the bad one."""
        d, v = cls(), VARIABLES
        return cls(
            table_name=_matching(env, v["table_name"], TABLE_NAME, d.table_name),
            daily_table_name=_matching(env, v["daily_table_name"], _TABLE_NAME_OR_EMPTY, ""),
            history_table_name=_matching(env, v["history_table_name"], _TABLE_NAME_OR_EMPTY, ""),
            site_id=_matching(env, v["site_id"], _SITE_ID, d.site_id),
            allowed_origins=_origins(env, v["allowed_origins"], d.allowed_origins),
            region=env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or d.region,
            max_body_bytes=_integer(env, v["max_body_bytes"], d.max_body_bytes, 0, 1_048_576),
            max_header_bytes=_integer(env, v["max_header_bytes"], d.max_header_bytes, 256, 10_240),
            cors_max_age_s=_integer(env, v["cors_max_age_s"], d.cors_max_age_s, 0, 86_400),
            dynamodb_connect_timeout_s=_seconds(
                env, v["dynamodb_connect_timeout_s"], d.dynamodb_connect_timeout_s
            ),
            dynamodb_read_timeout_s=_seconds(
                env, v["dynamodb_read_timeout_s"], d.dynamodb_read_timeout_s
            ),
            dynamodb_max_attempts=_integer(
                env, v["dynamodb_max_attempts"], d.dynamodb_max_attempts, 1, 10
            ),
            log_level=_one_of(env, v["log_level"], LOG_LEVELS, d.log_level),
            max_views_per_client_hour=_integer(
                env,
                v["max_views_per_client_hour"],
                d.max_views_per_client_hour,
                *CLIENT_HOUR_VIEWS_RANGE,
            ),
            max_views_per_day=_integer(
                env, v["max_views_per_day"], d.max_views_per_day, *DAY_VIEWS_RANGE
            ),
            known_pages_refresh_s=_integer(
                env, v["known_pages_refresh_s"], d.known_pages_refresh_s, 0, 86_400
            ),
            stats_access=_one_of(
                env,
                v["stats_access"],
                tuple(a.upper() for a in STATS_ACCESS),
                d.stats_access.upper(),
            ).lower(),
            stats_retention_days=_integer(
                env, v["stats_retention_days"], d.stats_retention_days, *RETENTION_DAYS_RANGE
            ),
            write_shards=_integer(env, v["write_shards"], d.write_shards, *WRITE_SHARDS_RANGE),
            event_names=_event_names(env, v["event_names"], d.event_names),
            origin_secret=_secret(env, v["origin_secret"]),
            other_sites=_other_sites(
                env, v["other_sites"], _matching(env, v["site_id"], _SITE_ID, d.site_id)
            ),
            sites_role_arn=_sites_role(env, v["sites_role_arn"], v["other_sites"]),
        )


def deployed_environment(**values: str) -> dict[str, str]:
    """The function's environment as the infrastructure writes it.

    {variable: value} for the given Settings fields, in the order given; a field without a
    variable is a TypeError.
    """
    unknown = sorted(set(values) - set(VARIABLES))
    if unknown:
        raise TypeError(f"no environment variable sets {', '.join(unknown)}")
    return {VARIABLES[name]: value for name, value in values.items()}


def parse_origin(value: str) -> str:
    """Return `value` as a normalized origin (scheme://host[:port]) or raise ValueError."""
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{value!r} is not an origin like https://example.com")
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username:
        raise ValueError(f"{value!r} is not an origin: it must not have a path, query or user")
    try:
        port = parts.port
    except ValueError as exc:
        raise ValueError(f"{value!r} has an invalid port") from exc
    host = parts.hostname.lower()
    if ":" in host:  # IPv6: an Origin header keeps its brackets
        try:
            host = f"[{ipaddress.IPv6Address(host)}]"
        except ValueError:
            raise ValueError(f"{value!r} has an invalid IPv6 address") from None
    else:
        try:  # a browser sends an international name as its ASCII (punycode) form
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            host = ""
        if not _ORIGIN_HOST.fullmatch(host):
            raise ValueError(f"{value!r} is not an origin: its host is not a DNS name or address")
    return f"{parts.scheme}://{host}" + (f":{port}" if port is not None else "")


def _event_names(env: Mapping[str, str], name: str, default: tuple[str, ...]) -> tuple[str, ...]:
    raw = env.get(name)
    if raw is None:
        return default
    names = tuple(item.strip() for item in raw.split(",") if item.strip())
    wrong = [item for item in names if not schema.EVENT_NAMES_ALLOWED.fullmatch(item)]
    if not names or wrong:
        raise SettingsError(
            f"{name} must list event names, comma-separated (lower-case letters, digits, '.', "
            f"'_', '-', an optional '*' at the end), not {raw!r}"
        )
    return names


def _origins(env: Mapping[str, str], name: str, default: frozenset[str]) -> frozenset[str]:
    raw = env.get(name)
    if raw is None:
        return default
    items = [item for item in raw.split(ORIGIN_SEPARATOR) if item.strip()]
    if not items:
        raise SettingsError(f"{name} must list at least one origin, comma-separated")
    try:
        return frozenset(parse_origin(item) for item in items)
    except ValueError as exc:
        raise SettingsError(f"{name}: {exc}") from exc


def format_other_sites(sites: Mapping[str, Iterable[str]]) -> str:
    """OTHER_SITES as the infrastructure writes it: "id=origin|origin;id=origin"."""
    return SITE_SEPARATOR.join(
        f"{site}={ORIGIN_LIST_SEPARATOR.join(origins)}" for site, origins in sites.items()
    )


def _other_sites(
    env: Mapping[str, str], name: str, first: str
) -> tuple[tuple[str, frozenset[str]], ...]:
    raw = env.get(name, "")
    sites: list[tuple[str, frozenset[str]]] = [(first, frozenset())]
    for entry in filter(None, raw.split(SITE_SEPARATOR)):
        site, _, origins = entry.partition("=")
        if not _OTHER_SITE_ID.fullmatch(site) or any(site == known for known, _ in sites):
            raise SettingsError(f"{name}: {site!r} is not a site id, or is given twice")
        try:
            parsed = frozenset(
                parse_origin(o) for o in origins.split(ORIGIN_LIST_SEPARATOR) if o.strip()
            )
        except ValueError as exc:
            raise SettingsError(f"{name}: {site}: {exc}") from None
        if not parsed:
            raise SettingsError(f"{name}: {site} has no origin")
        sites.append((site, parsed))
    return tuple(sites[1:])


def _sites_role(env: Mapping[str, str], name: str, sites_name: str) -> str:
    """The sites role's ARN: required with other sites, which have no other credentials."""
    value = env.get(name, "")
    if value and not _ROLE_ARN.fullmatch(value):
        raise SettingsError(f"{name}={value!r} is not an IAM role's ARN")
    if env.get(sites_name) and not value:
        raise SettingsError(f"{sites_name} names other sites, but {name} is not set")
    return value


def _secret(env: Mapping[str, str], name: str) -> str:
    """A secret, or "": a wrong one is named, never echoed (the error may reach a log)."""
    value = env.get(name, "")
    if value and not _SECRET.fullmatch(value):
        raise SettingsError(f"{name} must be 32 to 128 of A-Z, a-z, 0-9, '_' and '-'")
    return value


def _matching(env: Mapping[str, str], name: str, pattern: re.Pattern[str], default: str) -> str:
    value = env.get(name, default)
    if not pattern.fullmatch(value):
        raise SettingsError(f"{name}={value!r} does not match {pattern.pattern}")
    return value


def _one_of(env: Mapping[str, str], name: str, allowed: tuple[str, ...], default: str) -> str:
    value = env.get(name, default).upper()
    if value not in allowed:
        raise SettingsError(f"{name}={value!r} is not one of {', '.join(sorted(allowed))}")
    return value


def _integer(env: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = env.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name}={raw!r} is not a whole number") from None
    if not low <= value <= high:
        raise SettingsError(f"{name}={value} is outside {low}..{high}")
    return value


def _seconds(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if raw is None:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{name}={raw!r} is not a number of seconds") from None
    if not 0 < value <= 60:
        raise SettingsError(f"{name}={value} is outside 0..60 seconds")
    return value
