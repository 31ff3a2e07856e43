"""A real SMTP server for the delivery tests: aiosmtpd in its own process on 127.0.0.1.

Run as a script it serves until SIGTERM, writes each accepted message to ``--maildir``
(one file per message, written to a temporary name and renamed, so a reader never sees
half a message) and misbehaves on purpose when asked:

--tempfail-rcpt N      the first N RCPT commands get 451
--tempfail-data N      the first N messages get 451 after DATA
--reject ADDR          RCPT TO this address gets 550 (repeatable)
--drop-data N          the first N messages: the connection is closed after the final
                       '.' without storing the message or replying
--delay-data-cmd S     wait S seconds before answering the DATA command (354)
--delay-after-store S  store the message, then wait S seconds before answering 250
--delay-only N         apply the delays above to the Nth DATA command / message only
--delay-from N         apply them to the Nth and every later one
--tls-cert/--tls-key   offer STARTTLS (and require it with --require-starttls)
--implicit-tls         TLS from the first byte (smtp.security = "tls")
--auth USER:PASSWORD   require AUTH PLAIN/LOGIN with these credentials
--sink                 a bare SMTP sink instead of aiosmtpd, for benchmarks: answers
                       every command at once, counts messages and keeps none (events
                       "connect" and "stored N RCPT" only; no TLS, no faults)

Events ("data-cmd N", "stored N", "dropped N", ...) are appended to ``--events`` so a
test can wait for a given moment without sleeping blindly.

Imported, it provides :class:`SmtpTestServer`, which starts and stops that process.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import email
import email.policy
import os
import signal
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from email.message import EmailMessage
from pathlib import Path
from typing import Any

# --- the server process ----------------------------------------------------------------


class _State:
    def __init__(self, opts: argparse.Namespace) -> None:
        self.opts = opts
        self.rcpt_tempfails = 0
        self.data_tempfails = 0
        self.drops = 0
        self.data_cmds = 0
        self.messages = 0

    def event(self, text: str) -> None:
        if self.opts.events:
            with open(self.opts.events, "a", encoding="utf-8") as fh:
                fh.write(text + "\n")  # one write per line: readers never see half a line


def _delayed(opts: argparse.Namespace, n: int) -> bool:
    if opts.delay_from:
        return n >= opts.delay_from
    return opts.delay_only in (0, n)


def _serve(opts: argparse.Namespace) -> None:  # pragma: no cover - runs in a subprocess
    from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

    state = _State(opts)
    maildir = Path(opts.maildir)
    maildir.mkdir(parents=True, exist_ok=True)
    rejected = {a.lower() for a in opts.reject}

    class Handler:
        async def handle_RCPT(
            self, server: Any, session: Any, envelope: Any, address: str, options: Any
        ) -> str:
            if address.lower() in rejected:
                state.event(f"rejected {address}")
                return f"550 5.1.1 <{address}>: mailbox unavailable"
            if state.rcpt_tempfails < opts.tempfail_rcpt:
                state.rcpt_tempfails += 1
                state.event(f"tempfail-rcpt {address}")
                return "451 4.3.0 try again later"
            envelope.rcpt_tos.append(address)
            return "250 OK"

        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            if state.drops < opts.drop_data:
                state.drops += 1
                state.event(f"dropped {','.join(envelope.rcpt_tos)}")
                server.transport.close()
                return "421 4.4.2 connection dropped on purpose"
            if state.data_tempfails < opts.tempfail_data:
                state.data_tempfails += 1
                state.event(f"tempfail-data {','.join(envelope.rcpt_tos)}")
                return "451 4.3.0 temporary failure after DATA"
            state.messages += 1
            n = state.messages
            secure = bool(session.ssl) or server.transport.get_extra_info("ssl_object") is not None
            head = (
                f"X-Test-Envelope-From: {envelope.mail_from}\r\n"
                f"X-Test-Envelope-To: {', '.join(envelope.rcpt_tos)}\r\n"
                f"X-Test-TLS: {'yes' if secure else 'no'}\r\n"
            ).encode()
            name = f"{time.time_ns()}-{os.getpid()}-{n:05d}"
            tmp = maildir / f".{name}.tmp"
            tmp.write_bytes(head + envelope.original_content)
            os.replace(tmp, maildir / f"{name}.eml")
            state.event(f"stored {n} {','.join(envelope.rcpt_tos)}")
            if opts.delay_after_store and _delayed(opts, n):
                await asyncio.sleep(opts.delay_after_store)
            return "250 2.0.0 OK queued"

    class FaultySMTP(SMTP):
        def connection_made(self, transport: Any) -> None:
            state.event("connect")
            super().connection_made(transport)

        async def smtp_DATA(self, arg: str) -> None:
            state.data_cmds += 1
            state.event(f"data-cmd {state.data_cmds}")
            if opts.delay_data_cmd and _delayed(opts, state.data_cmds):
                await asyncio.sleep(opts.delay_data_cmd)
            await super().smtp_DATA(arg)

    def authenticate(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> Any:
        user, _, password = opts.auth.partition(":")
        ok = isinstance(data, LoginPassword) and (
            data.login.decode() == user and data.password.decode() == password
        )
        state.event(f"auth {'ok' if ok else 'refused'}")
        return AuthResult(success=ok, handled=False)

    tls: ssl.SSLContext | None = None
    if opts.tls_cert:
        tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls.load_cert_chain(opts.tls_cert, opts.tls_key or None)

    def factory() -> Any:
        kwargs: dict[str, Any] = {"hostname": "sitrep-test", "decode_data": False}
        if tls is not None and not opts.implicit_tls:
            kwargs.update(tls_context=tls, require_starttls=opts.require_starttls)
        if opts.auth:
            kwargs.update(
                authenticator=authenticate, auth_required=True,
                # aiosmtpd only counts STARTTLS as TLS; implicit TLS is TLS from the start.
                auth_require_tls=tls is not None and not opts.implicit_tls,
            )  # fmt: skip
        return FaultySMTP(Handler(), **kwargs)

    async def main() -> None:
        loop = asyncio.get_running_loop()
        stop = loop.create_future()

        def request_stop() -> None:
            if not stop.done():
                stop.set_result(None)

        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, request_stop)
        server = await loop.create_server(
            factory, "127.0.0.1", opts.port, ssl=tls if opts.implicit_tls else None
        )
        port = server.sockets[0].getsockname()[1]
        if opts.port_file:
            tmp = Path(opts.port_file + ".tmp")
            tmp.write_text(str(port))
            os.replace(tmp, opts.port_file)
        await stop
        server.close()
        await server.wait_closed()

    asyncio.run(main())


def _sink(opts: argparse.Namespace) -> None:  # pragma: no cover - runs in a subprocess
    """As little work a message as an SMTP server can do: what a fast MTA costs the sender."""
    state = _State(opts)

    class Sink(asyncio.Protocol):
        def connection_made(self, transport: Any) -> None:
            self.transport, self.buffer, self.data, self.rcpt = transport, b"", False, ""
            state.event("connect")
            transport.write(b"220 sink ESMTP\r\n")

        def data_received(self, chunk: bytes) -> None:
            self.buffer += chunk
            while True:
                if self.data:
                    end = self.buffer.find(b"\r\n.\r\n")
                    if end < 0:
                        self.buffer = self.buffer[-4:]  # the end mark may straddle chunks
                        return
                    self.buffer, self.data = self.buffer[end + 5 :], False
                    state.messages += 1
                    state.event(f"stored {state.messages} {self.rcpt}")
                    self.transport.write(b"250 2.0.0 OK queued\r\n")
                    continue
                line, sep, rest = self.buffer.partition(b"\r\n")
                if not sep:
                    return
                self.buffer = rest
                self.transport.write(self._reply(line.decode("ascii", "replace")))

        def _reply(self, line: str) -> bytes:
            verb = line[:4].upper()
            if verb == "RCPT":
                self.rcpt = line.split(":", 1)[1].strip().strip("<>")
            if verb == "DATA":
                self.data, self.buffer = True, b"\r\n" + self.buffer
                return b"354 end with <CRLF>.<CRLF>\r\n"
            if verb == "QUIT":
                self.transport.close()
                return b"221 bye\r\n"
            return b"250 sink\r\n"

    async def main() -> None:
        loop = asyncio.get_running_loop()
        stop = loop.create_future()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, lambda: stop.done() or stop.set_result(None))
        server = await loop.create_server(Sink, "127.0.0.1", opts.port)
        tmp = Path(opts.port_file + ".tmp")
        tmp.write_text(str(server.sockets[0].getsockname()[1]))
        os.replace(tmp, opts.port_file)
        await stop
        server.close()

    asyncio.run(main())


def _parse(argv: Sequence[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--port-file")
    p.add_argument("--maildir", required=True)
    p.add_argument("--events")
    p.add_argument("--tempfail-rcpt", type=int, default=0)
    p.add_argument("--tempfail-data", type=int, default=0)
    p.add_argument("--reject", action="append", default=[])
    p.add_argument("--drop-data", type=int, default=0)
    p.add_argument("--delay-data-cmd", type=float, default=0.0)
    p.add_argument("--delay-after-store", type=float, default=0.0)
    p.add_argument("--delay-only", type=int, default=0)
    p.add_argument("--delay-from", type=int, default=0)
    p.add_argument("--tls-cert")
    p.add_argument("--tls-key")
    p.add_argument("--require-starttls", action="store_true")
    p.add_argument("--implicit-tls", action="store_true")
    p.add_argument("--auth")
    p.add_argument("--sink", action="store_true")
    return p.parse_args(argv)


# --- the test-side handle ----------------------------------------------------------------


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until(
    predicate: Callable[[], bool], timeout: float = 10.0, interval: float = 0.01
) -> None:
    """Poll ``predicate`` until it is true; AssertionError after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout} s")
        time.sleep(interval)


class SmtpTestServer:
    """Starts :mod:`smtp_server` as a subprocess and reads what it received."""

    def __init__(self, folder: Path, *options: str, port: int = 0) -> None:
        self.folder = folder
        self.maildir = folder / "maildir"
        self.events_file = folder / "events.log"
        self.options = list(options)
        self.port = port
        self.proc: subprocess.Popen[bytes] | None = None
        self.probes = 0

    def start(self, timeout: float = 15.0) -> SmtpTestServer:
        """Start the server and wait (bounded) until it accepts connections."""
        self.folder.mkdir(parents=True, exist_ok=True)
        port_file = self.folder / "port"
        port_file.unlink(missing_ok=True)
        self.proc = subprocess.Popen(
            [sys.executable, __file__, "--maildir", str(self.maildir),
             "--events", str(self.events_file), "--port", str(self.port),
             "--port-file", str(port_file), *self.options],
            stdout=subprocess.DEVNULL,
            stderr=open(self.folder / "server.log", "ab"),  # noqa: SIM115
        )  # fmt: skip

        def ready() -> bool:
            assert self.proc is not None
            if self.proc.poll() is not None:
                log = (self.folder / "server.log").read_text(errors="replace")
                raise AssertionError(f"SMTP test server exited: {log[-2000:]}")
            return port_file.exists()

        wait_until(ready, timeout)
        self.port = int(port_file.read_text())

        def accepts() -> bool:
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", self.port), timeout=1),
            ):
                return True
            return False

        wait_until(accepts, timeout)
        self.probes += 1
        return self

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL after 5 s)."""
        if self.proc is None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=5)
        self.proc = None

    def __enter__(self) -> SmtpTestServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def files(self) -> list[Path]:
        """The stored messages, in the order they were accepted."""
        if not self.maildir.exists():
            return []
        return sorted(self.maildir.glob("*.eml"))

    def messages(self) -> list[EmailMessage]:
        """The stored messages, parsed with the ``email`` package."""
        out = []
        for path in self.files():
            msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            assert isinstance(msg, EmailMessage)
            out.append(msg)
        return out

    def connections(self) -> int:
        """SMTP connections opened by clients (not counting the readiness probes)."""
        return self.events().count("connect") - self.probes

    def events(self) -> list[str]:
        """The event lines so far."""
        if not self.events_file.exists():
            return []
        return self.events_file.read_text(encoding="utf-8").splitlines()


if __name__ == "__main__":  # pragma: no cover
    options = _parse(sys.argv[1:])
    (_sink if options.sink else _serve)(options)
