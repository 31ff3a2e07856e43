"""Configuration, read once per run.

Precedence, lowest first (this is the one place it is written down):

1. the defaults in the classes below;
2. ``sitrep.toml`` in the project folder (or the file given with ``--config``);
3. the environment, for secrets only: ``SITREP_SMTP_PASSWORD``, ``SITREP_STORE_PASSWORD``;
4. command-line flags, applied by the commands through :meth:`Config.with_overrides`.

Relative paths in the file are relative to the file's folder.
"""

from __future__ import annotations

import datetime as dt
import os
import tomllib
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator

from .errors import ConfigError, UsageError

REPORT_DATES = (dt.date(1900, 1, 1), dt.date(2100, 12, 31))
"""The first and last day a report may cover (``--date``, ``SOURCE_DATE_EPOCH``)."""

CONFIG_NAME = "sitrep.toml"
PASSWORD_ENV = "SITREP_SMTP_PASSWORD"
STORE_PASSWORD_ENV = "SITREP_STORE_PASSWORD"


def check_zone(value: str) -> str:
    """An IANA time zone name, or a ValueError that says what is expected."""
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"unknown time zone {value!r} (expected an IANA name such as UTC or Africa/Bamako)"
        ) from None
    return value


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)


FIGURES_TABLE_LIMIT = 10
"""Incidents a PDF shows in full (table and key developments) before it lists the rest one
a line (``report.figures_table_limit``)."""


class ReportConfig(_Section):
    """What the report covers and how it is built."""

    title: str = "Sahel situation report"
    data: Path = Path("data")
    output: Path = Path("output")
    templates: Path | None = Field(
        default=None, description="A folder whose templates override the shipped ones."
    )
    timezone: str = "UTC"
    formats: list[str] = Field(
        default=["md", "pdf", "html", "json"],
        description="Output formats; checked against the format registry (sitrep.render) "
        "when a report is planned.",
    )
    language: str = Field(
        default="en",
        description="The language of the report and of subscribers who name none; checked "
        "against the languages with wording when a report is planned (only en for now).",
    )
    lookback_days: int = Field(default=30, ge=1, le=366)
    claim_spread_factor: float = Field(
        default=3.0, gt=1, description="Flag claims more than this many times the credible figure."
    )
    about_tolerance: float = Field(
        default=0.10, ge=0, lt=1,
        description="'about N' stands for N plus or minus this fraction when deciding whether "
        "figures contradict.",
    )
    party_claims: Literal["corroborated", "never", "always"] = Field(
        default="corroborated",
        description="When a party's figure for its enemy's losses counts toward low and best: "
        "once a source that is not a party gives a specific figure too (not a vague word or a "
        "bound alone), never, or always.",
    )
    merge_radius_km: float = Field(default=10.0, ge=0)
    figures_table_limit: int = Field(
        default=FIGURES_TABLE_LIMIT, ge=1, le=10_000,
        description="A PDF whose period has more incidents with news than this shows the "
        "official-vs-claimed table of this many (the gravest), the others one a line.",
    )
    merge_name_score: float = Field(default=85.0, ge=50, le=100)
    follow_links: Literal["never", "inside"] = Field(
        default="never",
        description="Symbolic links in the data folder: never followed, or followed when "
        "they lead to a file or folder inside it.",
    )

    _known_zone = field_validator("timezone")(lambda value: check_zone(value))

    @property
    def zone(self) -> ZoneInfo:
        """The report's time zone."""
        return ZoneInfo(self.timezone)


TLP_MARKINGS = ("TLP:CLEAR", "TLP:GREEN", "TLP:AMBER", "TLP:AMBER+STRICT", "TLP:RED")
"""The Traffic Light Protocol 2.0 labels (FIRST, 2022), written as the standard writes them."""


def check_marking(value: str | None) -> str | None:
    """A TLP 2.0 label (any case: 'tlp:amber' is 'TLP:AMBER') or one line of free text."""
    if value is None:
        return None
    text = " ".join(value.split())
    if not text:
        return None
    if text.upper().startswith("TLP"):
        label = text.upper().replace(" ", "")
        if label not in TLP_MARKINGS:
            raise ValueError(
                f"{value!r} is not a TLP 2.0 label (use one of {', '.join(TLP_MARKINGS)}, "
                "or free text that does not start with TLP)"
            )
        return label
    if len(text) > 120:
        raise ValueError("a marking is one short line (at most 120 characters)")
    return text


class FurnitureConfig(_Section):
    """What every report carries around its content: marking, contacts, next edition,
    the data's licence and where to download it. Empty settings print nothing."""

    marking: str | None = Field(
        default=None,
        description="Handling marking in the header, footer and e-mail subject: a TLP 2.0 "
        "label (TLP:CLEAR, TLP:GREEN, TLP:AMBER, TLP:AMBER+STRICT, TLP:RED) or free text "
        "('For NGO use only').",
    )
    contacts: list[str] = Field(
        default_factory=list, description="Contact lines: 'Sahel desk: desk@example.org'."
    )
    next_edition: str | None = Field(
        default=None, description="When the next edition comes out: 'daily at 06:00 UTC'."
    )
    licence: str | None = Field(default=None, description="The data's licence: 'CC BY 4.0'.")
    data_url: str | None = Field(
        default=None, description="An https: (or http:) address where the data can be downloaded."
    )

    _marking = field_validator("marking")(lambda value: check_marking(value))

    @field_validator("data_url")
    @classmethod
    def _web_address(cls, value: str | None) -> str | None:
        if value is not None and not value.lower().startswith(("https://", "http://")):
            raise ValueError(f"{value!r} is not a web address (write it as https://...)")
        return value

    @property
    def is_tlp(self) -> bool:
        """True when the marking is a TLP label."""
        return self.marking in TLP_MARKINGS


class SmtpConfig(_Section):
    """The mail server that delivers reports."""

    host: str = "localhost"
    port: int = Field(default=587, ge=1, le=65535)
    security: Literal["starttls", "tls", "none"] = "starttls"
    username: str | None = None
    password_file: Path | None = None
    password: SecretStr | None = Field(
        default=None, exclude=True, description="Only from SITREP_SMTP_PASSWORD, never the file."
    )
    sender: str = "sitrep <sitrep@localhost>"
    reply_to: str | None = None
    unsubscribe: str | None = Field(
        default=None, description="mailto: or https: address for the List-Unsubscribe header."
    )
    timeout: float = Field(default=30.0, gt=0)
    rate_per_minute: float = Field(default=120.0, gt=0)
    connections: int = Field(
        default=1, ge=1, le=16, description="SMTP connections a run sends over at once."
    )
    retries: int = Field(default=3, ge=0, le=10)
    backoff_seconds: float = Field(default=2.0, ge=0)

    def secret(self) -> str | None:
        """The SMTP password: from the environment, else from ``password_file``."""
        if self.password is not None:
            return self.password.get_secret_value()
        if self.password_file is not None:
            try:
                return self.password_file.read_text(encoding="utf-8").strip()
            except OSError as exc:
                raise ConfigError(
                    f"cannot read smtp.password_file {self.password_file}: {exc.strerror}"
                ) from exc
        return None


class ScheduleConfig(_Section):
    """When ``sitrep schedule`` runs the daily job."""

    time: str = Field(default="06:00", pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    timezone: str | None = Field(default=None, description="Defaults to report.timezone.")
    retry_minutes: int = Field(
        default=30, ge=0, description="Run a failed daily job again after this long (0: never)."
    )
    heartbeat_seconds: float = Field(
        default=60.0, gt=0, le=3600, description="How often the heartbeat file is rewritten."
    )

    _known_zone = field_validator("timezone")(
        lambda value: None if value is None else check_zone(value)
    )


class StoreConfig(_Section):
    """Where incident records are kept: the folder of record files (``report.data``), or a
    database with revision history (SQLite file, or PostgreSQL by URL)."""

    kind: Literal["folder", "sqlite", "postgresql"] = "folder"
    path: Path = Field(
        default=Path("incidents.sqlite"),
        description="The SQLite file; relative paths are under the state folder.",
    )
    url: str | None = Field(
        default=None, description="postgresql://user@host[:port]/database (no password)."
    )
    password: SecretStr | None = Field(
        default=None, exclude=True, description="Only from SITREP_STORE_PASSWORD, never the file."
    )

    @field_validator("url")
    @classmethod
    def _no_password(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("postgresql://", "postgresql+psycopg://")):
            raise ValueError(f"{value!r} is not a postgresql:// URL")
        netloc = (value or "").split("://", 1)[-1].split("/", 1)[0]
        if ":" in netloc.rpartition("@")[0]:
            raise ValueError(
                f"the URL must not hold a password (set {STORE_PASSWORD_ENV} in the environment)"
            )
        return value


class RenderConfig(_Section):
    """Where a run's editions are rendered."""

    workers: int | None = Field(
        default=None, ge=1,
        description="Processes that render editions at once (default: the machine's cores).",
    )
    scheduler: str | None = Field(
        default=None,
        description="A Dask distributed scheduler to render editions on instead, such as "
        "tcp://host:8786 (needs sitrep[dask]).",
    )


class PublishConfig(_Section):
    """How the day's edition is released: reviewed on the desk, or sent as generated."""

    mode: Literal["review", "auto"] = Field(
        default="auto",
        description="review: `sitrep run` sends only an edition published on the desk; "
        "auto: it publishes and sends as generated (a day with no new or changed record "
        "is not sent without --allow-empty).",
    )
    deadline: str = Field(
        default="09:00",
        pattern=r"^([01]\d|2[0-3]):[0-5]\d$",
        description="Review mode: the time (report.timezone) on the day after the report "
        "day by which an edition must be published; a run before it with none published "
        "waits (exit 1, nothing sent), after it applies send_unreviewed.",
    )
    send_unreviewed: bool = Field(
        default=False,
        description="Review mode, nothing published by the deadline: send the draft marked "
        '"not reviewed" instead of nothing.',
    )
    marking: str | None = Field(
        default=None,
        description="The default marking of an edition: a TLP 2.0 label (TLP:CLEAR, "
        "TLP:GREEN, TLP:AMBER, TLP:AMBER+STRICT, TLP:RED) or a classification line.",
    )


class Config(_Section):
    """The whole configuration of one sitrep project."""

    root: Path = Field(default=Path("."), exclude=True)
    file: Path | None = Field(
        default=None, exclude=True, description="The sitrep.toml read, for error locations."
    )
    report: ReportConfig = ReportConfig()
    furniture: FurnitureConfig = FurnitureConfig()
    smtp: SmtpConfig = SmtpConfig()
    schedule: ScheduleConfig = ScheduleConfig()
    store: StoreConfig = StoreConfig()
    render: RenderConfig = RenderConfig()
    publish: PublishConfig = PublishConfig()
    state: Path = Path("state")
    subscribers_file: Path | None = None
    subscribers: list[dict[str, Any]] = Field(default_factory=list)

    def path(self, value: Path) -> Path:
        """Resolve a configured path against the project folder."""
        return value if value.is_absolute() else self.root / value

    @property
    def user_templates(self) -> Path | None:
        """The folder of templates overriding the shipped ones, resolved, if configured."""
        folder = self.report.templates
        return None if folder is None else self.path(folder)

    def with_overrides(self, **overrides: Any) -> Config:
        """A copy with report settings replaced (from CLI flags); None values are ignored.
        A ``data`` folder given this way is read instead of the configured store."""
        given = {k: v for k, v in overrides.items() if v is not None}
        if not given:
            return self
        report = self.report.model_copy(update=given)
        try:
            ReportConfig.model_validate(report.model_dump())
        except ValidationError as exc:
            raise UsageError(_describe(exc, "command-line options")) from None
        update: dict[str, Any] = {"report": report}
        if "data" in given:  # --data names a folder of records: it replaces a database store
            update["store"] = self.store.model_copy(update={"kind": "folder"})
        return self.model_copy(update=update)


def _describe(exc: ValidationError, where: str) -> str:
    lines = [f"invalid configuration in {where}:"]
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"])
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            msg = "unknown setting (check the spelling against docs/configuration.md)"
        lines.append(f"  {loc}: {msg}")
    return "\n".join(lines)


def load_config(path: Path | None = None, *, environ: dict[str, str] | None = None) -> Config:
    """Read the configuration: defaults, then ``sitrep.toml`` if present, then the environment.

    ``path`` may name the file or the project folder; without it the current folder is used.
    """
    environ = dict(os.environ) if environ is None else environ
    if path is None:
        path = Path.cwd()
    elif not path.exists():  # a typo in a cron line must not run with the defaults
        raise ConfigError(
            f"{path}: no such configuration file or project folder "
            "(give the project folder or its sitrep.toml; create one with 'sitrep init')"
        )
    file = path / CONFIG_NAME if path.is_dir() else path
    data: dict[str, Any] = {}
    if file.exists():
        try:
            data = tomllib.loads(file.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{file}: not valid TOML: {exc}") from None
        except RecursionError:
            raise ConfigError(
                f"{file}: not valid TOML: tables or arrays nested too deeply "
                "(a configuration needs two levels)"
            ) from None
        except ValueError:  # an integer of more than 4,300 digits
            raise ConfigError(f"{file}: not valid TOML: a number has too many digits") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{file}: cannot be read as UTF-8 text: {exc}") from None
    if "password" in data.get("smtp", {}):
        raise ConfigError(
            f"{file}: smtp.password must not be written in the configuration file "
            f"(set {PASSWORD_ENV} in the environment or point smtp.password_file at a file)"
        )
    if "password" in data.get("store", {}):
        raise ConfigError(
            f"{file}: store.password must not be written in the configuration file "
            f"(set {STORE_PASSWORD_ENV} in the environment)"
        )
    if environ.get(STORE_PASSWORD_ENV):
        data.setdefault("store", {})["password"] = environ[STORE_PASSWORD_ENV]
    if environ.get(PASSWORD_ENV):
        data.setdefault("smtp", {})["password"] = environ[PASSWORD_ENV]
    try:
        where = {"root": file.parent.resolve(), "file": file.resolve() if file.exists() else None}
        config = Config.model_validate({**data, **where})
    except ValidationError as exc:
        raise ConfigError(_describe(exc, str(file))) from None
    return config
