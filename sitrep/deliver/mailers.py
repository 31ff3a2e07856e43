"""Mail transports: the small interface delivery uses, and its implementations.

:class:`Mailer` sends one finished message (bytes) to one recipient. Implementations:

* :class:`SmtpMailer`: a real SMTP server, with STARTTLS or implicit TLS and login; one
  connection reused across recipients, reopened when the server drops it;
* :class:`EmlMailer`: writes ``.eml`` files instead of sending (``--dry-run``);
* :class:`MemoryMailer`: the test double, keeping messages in memory and failing on cue.

Every failure is classified: :class:`TemporaryFailure` (4xx, dropped connection, timeout,
server down: try again later), :class:`PermanentFailure` (5xx for this message: do not
retry), or a plain :class:`~sitrep.errors.DeliveryError` when no message can be sent at
all (login refused, TLS impossible), which stops the run.
"""

from __future__ import annotations

import abc
import base64
import contextlib
import logging
import re
import smtplib
import socket
import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import parseaddr
from pathlib import Path

from ..config import SmtpConfig
from ..errors import ConfigError, DeliveryError
from ..writers import write_atomic

logger = logging.getLogger(__name__)

Hook = Callable[[], None]


class SendError(DeliveryError):
    """One message could not be sent; ``code`` is the SMTP reply code, if any."""

    def __init__(self, message: str, code: int | None = None) -> None:
        super().__init__(message)
        self.code = code


class TemporaryFailure(SendError):
    """Worth trying again later: 4xx, dropped connection, timeout, server unreachable.

    ``unreachable`` is true when no connection could be opened at all, so trying the
    other recipients right away is pointless.
    """

    def __init__(self, message: str, code: int | None = None, *, unreachable: bool = False) -> None:
        super().__init__(message, code)
        self.unreachable = unreachable


class PermanentFailure(SendError):
    """The server refused this message for good (5xx)."""


class _StaleConnection(Exception):
    """The connection was found closed before the transaction began."""


class Mailer(abc.ABC):
    """Sends finished messages, one recipient at a time.

    ``after_end`` is called once the final ``.`` of DATA has gone out and before the
    server's reply is read: from then on the server may have accepted the message (the
    ledger records the delivery as unconfirmed there). It returns the server's reply text.
    """

    @abc.abstractmethod
    def send(
        self, message: bytes, *, sender: str, recipient: str, after_end: Hook | None = None
    ) -> str:
        """Send ``message`` (CRLF line ends, ASCII) or raise a :class:`SendError`."""

    def close(self) -> None:  # noqa: B027 - optional for implementations
        """Release the connection, if any."""

    def clone(self) -> Mailer:
        """A mailer for one more connection, used from another thread at the same time as
        this one (``smtp.connections``). This default shares this mailer: right for the
        implementations that hold no connection and are safe to call from several threads.
        """
        return self

    def __enter__(self) -> Mailer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _reply_text(reply: bytes | str) -> str:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply
    return " ".join(text.split())


def _classify(stage: str, code: int, reply: bytes | str) -> SendError:
    text = f"{stage}: {code} {_reply_text(reply)}".strip()
    if 400 <= code < 500:
        return TemporaryFailure(text, code)
    if 500 <= code < 600:
        return PermanentFailure(text, code)
    return TemporaryFailure(f"{text} (unexpected reply)", code)


_LEADING_DOT = re.compile(rb"^\.", re.MULTILINE)


def dot_stuff(message: bytes) -> bytes:
    """The message as DATA content: CRLF line ends, leading dots doubled, ending in CRLF."""
    crlf = message.count(b"\r\n")
    if message.count(b"\r") != crlf or message.count(b"\n") != crlf:  # as composed: no scan
        message = re.sub(rb"\r\n|\r|\n", b"\r\n", message)
    data = _LEADING_DOT.sub(b"..", message) if message.startswith(b".") or b"\n." in message else (
        message)  # fmt: skip
    return data if data.endswith(b"\r\n") else data + b"\r\n"


class SmtpMailer(Mailer):
    """A real SMTP server; the connection is opened on first use and reused.

    ``ssl_context`` defaults to the system's trusted certificates with host-name checks;
    the password comes from :meth:`SmtpConfig.secret` and is never logged.
    """

    def __init__(
        self,
        config: SmtpConfig,
        *,
        ssl_context: ssl.SSLContext | None = None,
        local_hostname: str | None = None,
    ) -> None:
        self.config = config
        self._context = ssl_context
        self._local_hostname = local_hostname
        self._smtp: smtplib.SMTP | None = None

    def clone(self) -> SmtpMailer:
        """Another connection to the same server, with the same TLS context."""
        context = self._context if self.config.security == "none" else self._ssl()
        return SmtpMailer(self.config, ssl_context=context, local_hostname=self._local_hostname)

    def _ssl(self) -> ssl.SSLContext:
        if self._context is None:
            self._context = ssl.create_default_context()
        return self._context

    def _where(self) -> str:
        return f"{self.config.host}:{self.config.port}"

    def _connect(self) -> smtplib.SMTP:
        cfg = self.config
        smtp: smtplib.SMTP
        try:
            if cfg.security == "tls":
                smtp = smtplib.SMTP_SSL(
                    cfg.host, cfg.port, local_hostname=self._local_hostname,
                    timeout=cfg.timeout, context=self._ssl(),
                )  # fmt: skip
            else:
                smtp = smtplib.SMTP(
                    cfg.host, cfg.port, local_hostname=self._local_hostname, timeout=cfg.timeout
                )
        except ssl.SSLError as exc:
            raise DeliveryError(
                f"TLS with {self._where()} failed: {exc.reason or exc} (check smtp.security: "
                "'tls' is implicit TLS, usually port 465; 'starttls' is usually port 587)"
            ) from None
        except smtplib.SMTPConnectError as exc:
            raise _classify("connect", exc.smtp_code, exc.smtp_error) from None
        except (OSError, smtplib.SMTPException) as exc:
            raise TemporaryFailure(
                f"cannot connect to {self._where()}: {exc}", unreachable=True
            ) from None
        if smtp.sock is not None:
            # The final "." goes out in a small write right after the body: without this,
            # Nagle's algorithm can hold it until the server's delayed ACK (up to 40 ms).
            with contextlib.suppress(OSError):
                smtp.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            self._secure_and_login(smtp)
        except BaseException:
            with contextlib.suppress(Exception):
                smtp.close()
            raise
        logger.debug("connected to %s (%s)", self._where(), cfg.security)
        return smtp

    def _secure_and_login(self, smtp: smtplib.SMTP) -> None:
        cfg = self.config
        try:
            smtp.ehlo()
            if cfg.security == "starttls":
                if not smtp.has_extn("starttls"):
                    raise DeliveryError(
                        f"{self._where()} does not offer STARTTLS (set smtp.security to 'tls' "
                        "for implicit TLS, or to 'none' only for a relay on this machine)"
                    )
                smtp.starttls(context=self._ssl())
                smtp.ehlo()
            if cfg.username:
                try:
                    password = cfg.secret()
                except ConfigError as exc:
                    raise DeliveryError(str(exc)) from None
                if password is None:
                    raise DeliveryError(
                        "smtp.username is set but there is no password (set "
                        "SITREP_SMTP_PASSWORD in the environment or smtp.password_file)"
                    )
                _login(smtp, cfg.username, password)
        except smtplib.SMTPAuthenticationError as exc:
            raise DeliveryError(
                f"{self._where()} refused the login of {cfg.username!r}: {exc.smtp_code} "
                f"{_reply_text(exc.smtp_error)} (check smtp.username and the password)"
            ) from None
        except ssl.SSLError as exc:
            raise DeliveryError(
                f"STARTTLS with {self._where()} failed: {exc.reason or exc} (the server's "
                "certificate must be valid for smtp.host)"
            ) from None
        except smtplib.SMTPNotSupportedError as exc:
            raise DeliveryError(f"{self._where()}: {exc}") from None
        except smtplib.SMTPResponseException as exc:
            raise _classify("greeting", exc.smtp_code, exc.smtp_error) from None
        except (OSError, smtplib.SMTPServerDisconnected) as exc:
            raise TemporaryFailure(f"connection to {self._where()} lost: {exc}") from None
        except smtplib.SMTPException as exc:  # e.g. no authentication method in common
            raise DeliveryError(f"{self._where()}: {exc}") from None

    def send(
        self, message: bytes, *, sender: str, recipient: str, after_end: Hook | None = None
    ) -> str:
        """Send one message over the shared connection (opened or reopened as needed)."""
        reused = self._smtp is not None
        if self._smtp is None:
            self._smtp = self._connect()
        try:
            return self._transaction(self._smtp, message, sender, recipient, after_end)
        except _StaleConnection:
            if not reused:
                raise TemporaryFailure(f"{self._where()} closed the connection") from None
            # The server closed the idle connection between two messages: reconnect once.
            logger.debug("connection to %s went stale; reconnecting", self._where())
            self._smtp = self._connect()
            try:
                return self._transaction(self._smtp, message, sender, recipient, after_end)
            except _StaleConnection:
                raise TemporaryFailure(f"{self._where()} closed the connection") from None

    def _transaction(
        self, smtp: smtplib.SMTP, message: bytes, sender: str, recipient: str,
        after_end: Hook | None,
    ) -> str:  # fmt: skip
        envelope_from = parseaddr(sender)[1] or sender
        stage = "MAIL FROM"
        try:
            code, reply = smtp.mail(envelope_from)
            if code != 250:
                raise _classify(stage, code, reply)
            stage = "RCPT TO"
            code, reply = smtp.rcpt(recipient)
            if code not in (250, 251):
                raise _classify(stage, code, reply)
            stage = "DATA"
            smtp.putcmd("data")
            code, reply = smtp.getreply()
            if code != 354:
                raise _classify(stage, code, reply)
            smtp.send(dot_stuff(message))
            stage = "end of DATA"
            smtp.send(b".\r\n")
            if after_end is not None:
                after_end()
            code, reply = smtp.getreply()
            if code != 250:
                raise _classify(stage, code, reply)
        except SendError as exc:
            if exc.code == 421:  # the server is closing the connection
                self.close()
            else:
                self._reset()
            raise
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            self.close()
            if stage == "MAIL FROM":
                raise _StaleConnection from None
            kind = "timed out" if isinstance(exc, TimeoutError) or "timed out" in str(exc) else (
                "dropped")  # fmt: skip
            raise TemporaryFailure(
                f"connection to {self._where()} {kind} at {stage}: {exc}"
            ) from None
        return _reply_text(reply)

    def _reset(self) -> None:
        if self._smtp is None:
            return
        try:
            self._smtp.rset()
        except (smtplib.SMTPException, OSError):
            self.close()

    def close(self) -> None:
        """Say QUIT (if the connection is alive) and close it."""
        if self._smtp is None:
            return
        smtp, self._smtp = self._smtp, None
        with contextlib.suppress(smtplib.SMTPException, OSError):
            smtp.quit()
        with contextlib.suppress(Exception):
            smtp.close()


def _login(smtp: smtplib.SMTP, username: str, password: str) -> None:
    """Log in; non-ASCII credentials are sent as UTF-8 (RFC 4616), which smtplib cannot do."""
    if username.isascii() and password.isascii():
        smtp.login(username, password)
        return
    methods = smtp.esmtp_features.get("auth", "").upper().split()
    if "PLAIN" in methods:
        token = base64.b64encode(f"\0{username}\0{password}".encode()).decode("ascii")
        code, reply = smtp.docmd("AUTH", f"PLAIN {token}")
    elif "LOGIN" in methods:
        code, reply = smtp.docmd("AUTH", "LOGIN " + _b64(username))
        if code == 334:
            code, reply = smtp.docmd(_b64(password))
    else:
        raise smtplib.SMTPNotSupportedError(
            "the server offers neither AUTH PLAIN nor AUTH LOGIN, needed for a non-ASCII password"
        )
    if code not in (235, 503):
        raise smtplib.SMTPAuthenticationError(code, reply)


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode("ascii")


class EmlMailer(Mailer):
    """Writes each message to ``folder`` as an ``.eml`` file instead of sending it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.written: list[Path] = []

    def send(
        self, message: bytes, *, sender: str, recipient: str, after_end: Hook | None = None
    ) -> str:
        """Write the message to ``<folder>/<recipient>.eml`` (atomically)."""
        safe = re.sub(r"[^A-Za-z0-9@._+-]", "_", recipient.lower())
        path = write_atomic(self.folder / f"{safe}.eml", message)
        self.written.append(path)
        return f"written to {path}"


@dataclass
class Sent:
    """One message a :class:`MemoryMailer` accepted."""

    sender: str
    recipient: str
    message: bytes


@dataclass
class MemoryMailer(Mailer):
    """The test double: keeps messages in memory and raises scripted failures.

    ``failures`` maps a recipient (lower case) to the errors its next attempts raise, in
    order; ``default`` is raised for every attempt when set (a server that is down).
    Its clones (``smtp.connections``) share its lists, as connections share one server;
    ``threads`` names the threads that sent through it.
    """

    failures: dict[str, list[SendError]] = field(default_factory=dict)
    default: SendError | None = None
    sent: list[Sent] = field(default_factory=list)
    attempts: list[str] = field(default_factory=list)
    closed: int = 0
    threads: set[str] = field(default_factory=set)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False,
                                  compare=False)  # fmt: skip

    def send(
        self, message: bytes, *, sender: str, recipient: str, after_end: Hook | None = None
    ) -> str:
        """Record the message, or raise the next scripted failure for this recipient."""
        with self._lock:
            self.attempts.append(recipient)
            self.threads.add(threading.current_thread().name)
            queue = self.failures.get(recipient.lower())
            failure = queue.pop(0) if queue else self.default
            if failure is None:
                self.sent.append(Sent(sender, recipient, message))
        if failure is not None:
            raise failure
        if after_end is not None:
            after_end()
        return "250 OK"

    def close(self) -> None:
        """Count the closes (the deliverer must close what it opens)."""
        with self._lock:
            self.closed += 1
