"""The one typed configuration every stack is built from, validated once.

Values come from, in rising precedence: the defaults below, a TOML file named by
RESUME_CONFIG_FILE, and RESUME_<FIELD> environment variables (lists are
comma-separated there). A bad value raises ConfigError naming the field. A resolved
config travels to `main.py` as JSON (config_to_json / config_from_json), never back
through the environment, so no value is lost on the way.
"""

from __future__ import annotations

import dataclasses
import json
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from resume.capacity import Capacity
from resume.capacity import problems as capacity_problems
from resume.other_sites import MAX_OTHER_SITES, MAX_SITE_ORIGINS, OtherSite, parse_site
from visitor_counter import schema
from visitor_counter.page_patterns import InvalidPattern, pattern_regex
from visitor_counter.routes import ROUTES
from visitor_counter.settings import (
    CLIENT_HOUR_VIEWS_RANGE,
    DAY_VIEWS_RANGE,
    LOG_LEVELS,
    ORIGIN_SEPARATOR,
    RETENTION_DAYS_RANGE,
    STATS_ACCESS,
    TABLE_NAME,
    WRITE_SHARDS_RANGE,
    Settings,
    SettingsError,
    deployed_environment,
    format_other_sites,
    parse_origin,
)
from visitor_counter.visitors import estimate_weight

ENV_PREFIX = "RESUME_"
CONFIG_FILE_ENV = "RESUME_CONFIG_FILE"
KNOWN_STAGES = ("dev", "staging", "prod")
# Pull requests plan against this stage, with the CI stack's read-only plan role.
PLAN_STAGE = "dev"
# Every stage has these stacks, deployed in this order (the site's distribution sends /api/*
# to the backend's API, with the backend's origin secret).
STACK_KINDS = ("state", "backend", "frontend")
# CloudWatch Logs accepts only these retention periods.
LOG_RETENTION_DAYS = (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1827, 3653)
# The Terraform variable a stack reading another stack's state gets the state bucket from
# (the synthesized backends leave the bucket out: its name embeds the account id).
STATE_BUCKET_VARIABLE = "state_bucket"
# The account moto's server reports; used for names that embed an account id locally.
EMULATOR_ACCOUNT_ID = "123456789012"

_PROJECT = re.compile(r"^[a-z][a-z0-9-]{1,23}$")
_BUCKET_NAME = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
_DOMAIN = re.compile(r"^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
_ZONE_ID = re.compile(r"^Z[A-Z0-9]{1,31}$")
_ACCOUNT_ID = re.compile(r"^\d{12}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# GitHub's rules: an owner of 1-39 letters, digits and inner hyphens; a repository of
# letters, digits, '.', '_' and '-' (never '.' or '..' alone). No wildcard can pass.
_GITHUB_REPO = re.compile(
    r"^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}/(?!\.\.?$)[A-Za-z0-9._-]{1,100}$"
)


def stage_name(project: str, stage: str) -> str:
    """What names a stage: "<project>-<stage>", the start of every resource name it has."""
    return f"{project}-{stage}"


# The function's own defaults: a setting the deployment passes on starts from the same value.
_HANDLER = Settings()
DEV_STAGE = "dev"
MAX_PAGE_PATTERNS = 100
MAX_PAGE_PATTERN_CHARS = 255  # a page id's own limit
# The function's default origins (the local dev server), a dev stage's when none are set.
DEV_ORIGINS = tuple(sorted(_HANDLER.allowed_origins))


class ConfigError(ValueError):
    """A configuration value is invalid; the message names the field."""


@dataclass(frozen=True)
class AppConfig:
    """Everything a deployment can vary. Defaults deploy without editing."""

    project: str = "cloud-resume"
    stage: str = "dev"
    region: str = "eu-west-2"
    # Empty means derived: "<project>-<stage>-visitors".
    table_name: str = ""
    # Origins allowed besides the site's own (always allowed); unset: see `origins`.
    allowed_origins: tuple[str, ...] = ()
    domain_name: str = ""
    hosted_zone_id: str = ""
    # With a domain, which of its two hosts the site lives on; the other redirects (301).
    canonical_host: str = "apex"
    # The site's Content-Security-Policy header; empty: the default, which runs no inline
    # script or style (a generator build that inlines them needs their hashes, or more).
    site_csp: str = ""
    # HSTS for the site's domain: max-age only by default. True adds includeSubDomains and
    # preload, which force HTTPS on every subdomain of the owner's apex (and let anyone
    # submit the domain to browsers' preload lists): an owner's decision, never a default.
    hsts_preload: bool = False
    # Empty means derived: "<project>-<stage>-tfstate-<account id>" (bucket names are global).
    state_bucket: str = ""
    account_id: str = ""
    throttle_burst_limit: int = 100
    throttle_rate_limit_rps: float = 50.0
    log_retention_days: int = 30
    # The function's LOG_LEVEL: lines below it keep only their metrics.
    log_level: str = _HANDLER.log_level
    lambda_memory_mb: int = 256
    lambda_timeout_s: int = 5
    # A cost cap. New AWS accounts may have a total of only 10: set -1 there to reserve none.
    lambda_reserved_concurrency: int = 10
    function_zip: str = "build/function.zip"
    site_dir: str = "constructs/site"
    # API requests in 5 minutes that raise the request-surge alarm: far above a personal
    # site's traffic (10 a second sustained), well below the stage's throttle (50 a second).
    request_alarm_per_5min: int = 3000
    # Pages countable besides the site's own (site_dir's .html files), as globs: "*" within
    # one path segment, "**" across segments. For a site hosted elsewhere: list its pages.
    page_patterns: tuple[str, ...] = ()
    # The event names counted besides those the site's pages name in data-event attributes:
    # counter.js's "outbound" and "download", and names or prefixes ending in "*" ("*": any
    # valid name). A name only a prefix admits is one of at most 20 such a day.
    event_names: tuple[str, ...] = ("outbound", "download")
    # Other sites this deployment counts (resume.other_sites), each a line of words: its id,
    # its origins, its pages as globs ("shop https://shop.example /products/**"). Hosted
    # elsewhere, each counts through the API's endpoint, with its own token and stats.
    sites: tuple[str, ...] = ()
    # One address adds at most this many views of one page per hour.
    max_views_per_client_hour: int = _HANDLER.max_views_per_client_hour
    # The site's counted views a UTC day at most; past it, counting stops until midnight.
    max_views_per_day: int = _HANDLER.max_views_per_day
    # Who may read the stats routes and page: "private" (the owner's token, made by
    # `nox -s stats-token`) or "public" (anyone).
    stats_access: str = _HANDLER.stats_access
    # Days the daily history is kept after each day (by DynamoDB's TTL).
    stats_retention_days: int = _HANDLER.stats_retention_days
    # How many ways the keys every view writes are split (a page's item, the site total,
    # the site's day, the indexes' partitions): raise it for a throttle that lets more views
    # reach one key than DynamoDB takes (resume.capacity says how many; the config refuses
    # fewer). Only ever raise it: reads sum the shards below it.
    write_shards: int = _HANDLER.write_shards
    # An AWS Budgets budget on the account's monthly cost, alerting the alarm topic at 80%
    # actual and 100% forecast spend; 0 creates none.
    monthly_budget_usd: float = 5.0
    # Where alarm notifications are e-mailed (a subscription to confirm); empty: topic only.
    alarm_email: str = ""
    # AWS X-Ray tracing of the function. Off by default: X-Ray needs a '*' resource grant.
    tracing: bool = False
    # A customer-managed KMS key of its own for the alarm topic: $1 a month, which would be
    # the deployment's only fixed charge beyond AWS's always-free tiers. Off by default
    # (resume.alarm_topic says why that is safe).
    encrypt_alarm_topic: bool = False
    # OWNER/REPO whose GitHub Actions may deploy (the CI identity stack, `nox -s bootstrap`).
    # Set, the function's role is created under the permissions boundary that stack made.
    github_repo: str = ""
    # True: the account's GitHub OIDC provider exists outside this project; reuse it.
    reuse_github_oidc_provider: bool = False
    # Set by the local cloud: every AWS endpoint (provider and state backend) goes here.
    emulator_endpoint: str = ""
    tags: tuple[tuple[str, str], ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        _validate(self)

    @property
    def capacity(self) -> Capacity:
        """What the deployment can carry: its throttle, concurrency, write shards."""
        return Capacity(
            rate_limit_rps=self.throttle_rate_limit_rps,
            burst_limit=self.throttle_burst_limit,
            reserved_concurrency=self.lambda_reserved_concurrency,
            write_shards=self.write_shards,
            estimate_weight=estimate_weight(self.max_views_per_day),
        )

    @property
    def emulated(self) -> bool:
        """True for the local cloud, where a few AWS features are out of moto's reach."""
        return bool(self.emulator_endpoint)

    @property
    def resolved_table_name(self) -> str:
        """The counter table's name."""
        return self.table_name or f"{self.prefix}visitors"

    def state_bucket_name(self, account_id: str) -> str:
        """The state bucket's name in an account: `state_bucket`, or one derived from both.

        Synthesis passes Terraform's own account id (a data source), so the synthesized
        JSON never depends on whose credentials synthesized it.
        """
        return self.state_bucket or f"{self.prefix}tfstate-{account_id}"

    @property
    def resolved_state_bucket(self) -> str:
        """The bucket that holds Terraform state for this stage (diff and deploy need it)."""
        account = self.account_id or (EMULATOR_ACCOUNT_ID if self.emulated else "")
        if not (self.state_bucket or account):
            raise ConfigError(
                "state_bucket: set RESUME_STATE_BUCKET, or RESUME_ACCOUNT_ID to derive a "
                "globally unique name (nox -s deploy derives it from your credentials)"
            )
        return self.state_bucket_name(account)

    @property
    def prefix(self) -> str:
        """What every resource name of this stage starts with (IAM scopes deploys to it)."""
        return f"{self.stage_name}-"

    @property
    def stage_name(self) -> str:
        """The stage's name: "<project>-<stage>"."""
        return stage_name(self.project, self.stage)

    @property
    def origins(self) -> tuple[str, ...]:
        """The origins allowed besides the site's own: `allowed_origins`, if set.

        Unset, the local dev server's (the function's default) in the dev stage, and none
        elsewhere: a page a visitor's own machine serves at localhost must never count in
        production.
        """
        if self.allowed_origins:
            return self.allowed_origins
        return DEV_ORIGINS if self.stage == DEV_STAGE else ()

    @property
    def domain_origins(self) -> tuple[str, ...]:
        """The custom domain's origins (apex and www), which its pages may call the API from.

        The distribution's own CloudFront name is not known before it exists (after the
        backend): a request through the site brings it (visitor_counter.viewer).
        """
        if not self.domain_name:
            return ()
        return (f"https://{self.domain_name}", f"https://www.{self.domain_name}")

    @property
    def site_id(self) -> str:
        """The site this stage serves and counts first, its items' key prefix.

        The schema's default, whatever other sites the stage counts: its data stays put.
        """
        return schema.DEFAULT_SITE_ID

    @property
    def other_sites(self) -> tuple[OtherSite, ...]:
        """The other sites this stage counts, parsed (checked when the config is made)."""
        return tuple(parse_site(entry) for entry in self.sites)

    @property
    def sites_environment(self) -> dict[str, str]:
        """The function's origins and other sites (deployed_environment's keyword arguments).

        The origins allowed besides the site's own CloudFront name, which comes with each
        request through it (visitor_counter.viewer); each other site and its origins.
        """
        return {
            "allowed_origins": ORIGIN_SEPARATOR.join((*self.origins, *self.domain_origins)),
            "other_sites": format_other_sites(
                {site.site_id: site.origins for site in self.other_sites}
            ),
        }

    @property
    def site_ids(self) -> tuple[str, ...]:
        """Every site this stage counts: the first, then the others (the grants name all)."""
        return (self.site_id, *(site.site_id for site in self.other_sites))

    @property
    def function_name(self) -> str:
        """The counter Lambda's name."""
        return f"{self.prefix}counter"

    @property
    def function_role_name(self) -> str:
        """The counter Lambda's role: the only role a stage's deploy may pass."""
        return f"{self.function_name}-role"

    @property
    def sites_role_name(self) -> str:
        """The role other sites' sessions are of (resume.function_role): made, never passed."""
        return f"{self.function_name}-sites"

    def boundary_policy_name(self, stage: str | None = None) -> str:
        """The permissions boundary of every role a stage's deploy creates (the CI stack's)."""
        return f"{stage_name(self.project, stage or self.stage)}-boundary"

    @property
    def ci_stack_name(self) -> str:
        """The CI identity stack: one per account and project, for every stage."""
        return f"{self.project}-ci"

    def ci_state_bucket_name(self, account_id: str) -> str:
        """The CI stack keeps its state in a bucket of its own, outside every stage's reach."""
        return f"{self.project}-ci-tfstate-{account_id}"

    @property
    def ci_state_key(self) -> str:
        """The CI stack's state object."""
        return f"{self.project}/ci.tfstate"

    def stack_name(self, kind: str) -> str:
        """The cdktf stack name (and output folder) for one kind of stack."""
        return f"{self.prefix}{kind}"

    def state_key(self, kind: str) -> str:
        """The state object's key in the state bucket: one per stack and stage."""
        return f"{self.project}/{self.stage}/{kind}.tfstate"

    @property
    def all_tags(self) -> dict[str, str]:
        """Tags put on every resource through the provider's default_tags."""
        return {
            "Project": self.project,
            "Stage": self.stage,
            "ManagedBy": "cdktf",
            **dict(self.tags),
        }


def load_config(env: Mapping[str, str], overrides: Mapping[str, Any] | None = None) -> AppConfig:
    """Build the config from the file named in env, then env variables, then `overrides`."""
    values: dict[str, Any] = {}
    config_file = env.get(CONFIG_FILE_ENV)
    if config_file:
        values.update(_read_file(Path(config_file)))
    types = {f.name: f.type for f in dataclasses.fields(AppConfig)}
    for name, type_name in types.items():
        raw = env.get(ENV_PREFIX + name.upper())
        if raw is not None:
            values[name] = _from_text(name, str(type_name), raw)
    values.update(overrides or {})
    unknown = sorted(set(values) - set(types))
    if unknown:
        raise ConfigError(f"{unknown[0]}: unknown setting (known: {', '.join(sorted(types))})")
    for name, value in values.items():
        values[name] = _coerce(name, str(types[name]), value)
    return AppConfig(**values)


def config_to_json(config: AppConfig) -> str:
    """The config as JSON, losslessly: config_from_json(config_to_json(c)) == c."""
    return json.dumps(dataclasses.asdict(config), sort_keys=True, ensure_ascii=False, indent=2)


def config_from_json(text: str) -> AppConfig:
    """The config written by config_to_json; validated again like any other input."""
    try:
        values = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"config JSON is not valid: {exc}") from None
    if not isinstance(values, dict):
        raise ConfigError("config JSON must be an object")
    return load_config({}, values)


def _read_file(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(f"{CONFIG_FILE_ENV}: {path} does not exist") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{CONFIG_FILE_ENV}: {path} is not valid TOML: {exc}") from None


def _from_text(name: str, type_name: str, raw: str) -> Any:
    if type_name.startswith("tuple[tuple"):
        pairs = [item.split("=", 1) for item in raw.split(",") if item.strip()]
        if any(len(pair) != 2 for pair in pairs):
            raise ConfigError(f"{name}: expected key=value pairs, comma-separated, got {raw!r}")
        return tuple((key.strip(), value.strip()) for key, value in pairs)
    if type_name.startswith("tuple"):
        return tuple(item.strip() for item in raw.split(",") if item.strip())
    return raw.strip()


def _coerce(name: str, type_name: str, value: Any) -> Any:
    if type_name == "bool":
        if isinstance(value, bool):
            return value
        if str(value).lower() in ("true", "1", "yes", "on", "false", "0", "no", "off"):
            return str(value).lower() in ("true", "1", "yes", "on")
        raise ConfigError(f"{name}: {value!r} is not true or false")
    try:
        if type_name == "int":
            if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
                raise ValueError
            return int(value)
        if type_name == "float":
            return float(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{name}: {value!r} is not a number") from None
    if type_name == "str":
        if not isinstance(value, str):
            raise ConfigError(f"{name}: {value!r} is not text")
        return value
    if type_name.startswith("tuple[tuple"):
        items = value.items() if isinstance(value, Mapping) else value
        return tuple((str(key), str(item)) for key, item in items)
    if isinstance(value, str) or not isinstance(value, list | tuple):
        raise ConfigError(f"{name}: expected a list, got {value!r}")
    return tuple(str(item) for item in value)


def _check_other_sites(config: AppConfig) -> None:
    """Each other site parses, has an id of its own and origins no other site has."""
    if len(config.sites) > MAX_OTHER_SITES:
        raise ConfigError(f"sites: at most {MAX_OTHER_SITES} other sites")
    # As the function reads them (normalised): an origin written twice in two forms is one.
    taken = {
        parse_origin(origin): config.site_id for origin in (*config.origins, *config.domain_origins)
    }
    ids = {config.site_id}
    for entry in config.sites:
        try:
            site = parse_site(entry)
        except ValueError as exc:
            raise ConfigError(f"sites: {exc}") from None
        if site.site_id in ids:
            raise ConfigError(
                f"sites: {site.site_id!r} is taken (the first site is {config.site_id!r})"
            )
        ids.add(site.site_id)
        if len(site.pages) > MAX_PAGE_PATTERNS or len(site.origins) > MAX_SITE_ORIGINS:
            raise ConfigError(
                f"sites: {site.site_id}: at most {MAX_PAGE_PATTERNS} page globs and "
                f"{MAX_SITE_ORIGINS} origins"
            )
        for page in site.pages:
            if len(page) > MAX_PAGE_PATTERN_CHARS:
                raise ConfigError(
                    f"sites: {site.site_id}: {page[:40]!r}… is longer than "
                    f"{MAX_PAGE_PATTERN_CHARS} characters"
                )
        for origin in site.origins:
            if origin in taken:
                raise ConfigError(
                    f"sites: {site.site_id}: {origin} is {taken[origin]!r}'s already: an origin "
                    "is one site's"
                )
            taken[origin] = site.site_id


def _check_the_function_reads_them(config: AppConfig) -> None:
    """The origins and sites read back as the function reads its environment at cold start.

    A value only the config accepted would deploy, then fail every request of every site.
    The sites role's ARN is the deployment's, in an account of no one's (its name counts).
    """
    role = f"arn:aws:iam::{'0' * 12}:role/{config.sites_role_name}" if config.other_sites else ""
    environment = deployed_environment(**config.sites_environment, sites_role_arn=role)
    try:
        Settings.from_env({k: v for k, v in environment.items() if v})
    except SettingsError as exc:
        raise ConfigError(
            f"allowed_origins or sites: the function would not start: {exc}"
        ) from None


def _validate(config: AppConfig) -> None:
    _check(_PROJECT.fullmatch(config.project), "project", config.project, "lower-case, 2-24")
    if config.stage not in KNOWN_STAGES:
        raise ConfigError(
            f"stage: {config.stage!r} is unknown; use one of {', '.join(KNOWN_STAGES)}"
        )
    if config.region not in aws_regions():
        raise ConfigError(f"region: {config.region!r} is not an AWS region (e.g. eu-west-2)")
    if config.table_name:
        _check(TABLE_NAME.fullmatch(config.table_name), "table_name", config.table_name, "3-255")
    if config.table_name and config.github_repo:
        raise ConfigError(
            "table_name: leave it unset with github_repo: every stage's deploy role would be "
            "granted the one table, so a dev deploy could change prod's (a table cannot be "
            "renamed: keep deploying a named one from a laptop, or copy its items into "
            "<project>-<stage>-visitors)"
        )
    for origin in config.allowed_origins:
        try:
            parse_origin(origin)
        except ValueError as exc:
            raise ConfigError(f"allowed_origins: {exc}") from None
    # CloudFront's limit on a response headers policy's CSP value.
    if len(config.site_csp) > 1783 or any(c in config.site_csp for c in "\r\n"):
        raise ConfigError("site_csp: one line of at most 1,783 characters (CloudFront's limit)")
    if config.canonical_host not in ("apex", "www"):
        raise ConfigError(f"canonical_host: {config.canonical_host!r} is not apex or www")
    if bool(config.domain_name) != bool(config.hosted_zone_id):
        raise ConfigError("domain_name and hosted_zone_id: set both or neither")
    if config.domain_name:
        _check(
            _DOMAIN.fullmatch(config.domain_name), "domain_name", config.domain_name, "a DNS name"
        )
        _check(
            _ZONE_ID.fullmatch(config.hosted_zone_id),
            "hosted_zone_id",
            config.hosted_zone_id,
            "Route53 zone id",
        )
    if config.state_bucket:
        _check(
            _BUCKET_NAME.fullmatch(config.state_bucket), "state_bucket", config.state_bucket, "S3"
        )
    if config.account_id:
        _check(
            _ACCOUNT_ID.fullmatch(config.account_id), "account_id", config.account_id, "12 digits"
        )
    if config.github_repo:
        _check(
            _GITHUB_REPO.fullmatch(config.github_repo),
            "github_repo",
            config.github_repo,
            "OWNER/REPO, exactly as GitHub spells it",
        )
    if config.alarm_email:
        _check(
            _EMAIL.fullmatch(config.alarm_email), "alarm_email", config.alarm_email, "an address"
        )
    # A request at once for each route at least: each route gets its share of the burst.
    _in_range("throttle_burst_limit", config.throttle_burst_limit, len(ROUTES), 5000)
    _in_range("throttle_rate_limit_rps", config.throttle_rate_limit_rps, 1, 10000)
    _in_range("lambda_memory_mb", config.lambda_memory_mb, 128, 10240)
    _in_range("request_alarm_per_5min", config.request_alarm_per_5min, 1, 10_000_000)
    _in_range(
        "max_views_per_client_hour", config.max_views_per_client_hour, *CLIENT_HOUR_VIEWS_RANGE
    )
    _in_range("max_views_per_day", config.max_views_per_day, *DAY_VIEWS_RANGE)
    if config.stats_access not in STATS_ACCESS:
        raise ConfigError(
            f"stats_access: {config.stats_access!r} is not {' or '.join(STATS_ACCESS)}"
        )
    _in_range("stats_retention_days", config.stats_retention_days, *RETENTION_DAYS_RANGE)
    _in_range("write_shards", config.write_shards, *WRITE_SHARDS_RANGE)
    _in_range("monthly_budget_usd", config.monthly_budget_usd, 0, 1_000_000)
    # The owner writes them, but every page view of a glob page runs them all: bounded.
    if len(config.page_patterns) > MAX_PAGE_PATTERNS:
        raise ConfigError(f"page_patterns: at most {MAX_PAGE_PATTERNS} patterns")
    for pattern in config.page_patterns:
        if len(pattern) > MAX_PAGE_PATTERN_CHARS:
            raise ConfigError(
                f"page_patterns: {pattern[:40]!r}… is longer than {MAX_PAGE_PATTERN_CHARS} "
                "characters"
            )
        try:
            pattern_regex(pattern)
        except InvalidPattern as exc:
            raise ConfigError(f"page_patterns: {exc}") from None
    _check_other_sites(config)
    _check_the_function_reads_them(config)
    if not config.event_names:
        raise ConfigError('event_names: list at least one (["*"]: any valid name)')
    for name in config.event_names:
        _check(
            schema.EVENT_NAMES_ALLOWED.fullmatch(name),
            "event_names",
            name,
            "lower-case letters, digits, '.', '_', '-' (1-40), an optional '*' at the end",
        )
    _in_range("lambda_timeout_s", config.lambda_timeout_s, 1, 29)  # API Gateway gives up at 30 s
    _in_range("lambda_reserved_concurrency", config.lambda_reserved_concurrency, -1, 1000)
    # What the throttle lets through must fit the keys, and the function's concurrency.
    problems = capacity_problems(config.capacity)
    if problems:
        raise ConfigError(problems[0])
    if config.log_level not in LOG_LEVELS:
        raise ConfigError(
            f"log_level: {config.log_level!r} is not {', '.join(LOG_LEVELS[:-1])} or "
            f"{LOG_LEVELS[-1]}"
        )
    if config.log_retention_days not in LOG_RETENTION_DAYS:
        raise ConfigError(
            f"log_retention_days: {config.log_retention_days} is not one CloudWatch accepts "
            f"({', '.join(map(str, LOG_RETENTION_DAYS))})"
        )
    if config.emulator_endpoint:
        parts = config.emulator_endpoint.split("://", 1)
        _check(
            len(parts) == 2 and parts[0] in ("http", "https"),
            "emulator_endpoint",
            config.emulator_endpoint,
            "a URL like http://127.0.0.1:5000",
        )


def _check(ok: object, name: str, value: object, expected: str) -> None:
    if not ok:
        raise ConfigError(f"{name}: {value!r} is not valid ({expected})")


def _in_range(name: str, value: float, low: float, high: float) -> None:
    if not low <= value <= high:
        raise ConfigError(f"{name}: {value} is outside {low}..{high}")


@cache
def aws_regions() -> frozenset[str]:
    """Every region of every AWS partition, from botocore's bundled endpoint data.

    Read from the data file itself, not a Session: no network, no AWS profile involved.
    """
    from botocore.loaders import create_loader

    endpoints = create_loader().load_data("endpoints")
    return frozenset(
        region for partition in endpoints["partitions"] for region in partition["regions"]
    )
