"""Shared fixtures. No test needs the network: downloads are served from 127.0.0.1."""

from __future__ import annotations

import hashlib
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from llmprep import assets


@pytest.fixture(scope="session")
def verdict() -> str:
    """The full text of the-verdict, resolved like every other external file."""
    from llmprep import load_text

    return load_text("the-verdict")


class _Handler(http.server.BaseHTTPRequestHandler):
    """Serves ``server.routes[path] = (status, headers, body, then_close_early)``."""

    def do_GET(self) -> None:
        status, body, truncate = self.server.routes.get(self.path, (404, b"not found", False))
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        # An interrupted download: promise the whole body, send half, hang up.
        self.wfile.write(body[: len(body) // 2] if truncate else body)
        self.wfile.flush()
        if truncate:
            self.close_connection = True

    def log_message(self, *args: object) -> None:  # keep test output clean
        pass


@pytest.fixture
def http_server() -> Iterator[http.server.ThreadingHTTPServer]:
    """A local web server; tests add ``routes`` and build URLs from ``server_port``."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.routes = {}
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


TOY_BYTES = b"a small external file\n"


@pytest.fixture
def toy_asset(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> assets.Asset:
    """A registry entry for a small file, with an empty cache and no mirror."""
    asset = assets.Asset(
        name="toy/toy.txt",
        url="http://127.0.0.1:9/toy.txt",  # port 9 (discard): nothing listens there
        sha256=hashlib.sha256(TOY_BYTES).hexdigest(),
        size=len(TOY_BYTES),
        license="test data",
    )
    monkeypatch.setitem(assets.ASSETS, asset.name, asset)
    monkeypatch.setenv("LLMPREP_DATA", str(tmp_path / "cache"))
    monkeypatch.delenv("LLMPREP_MIRROR", raising=False)
    return asset


@pytest.fixture(scope="session")
def tiktoken_gpt2(tmp_path_factory: pytest.TempPathFactory):
    """The real ``tiktoken.get_encoding("gpt2")``, offline: its download cache is filled
    beforehand with the registry's files (tiktoken names them by the sha1 of the URL)."""
    import os
    import shutil

    import tiktoken

    cache = tmp_path_factory.mktemp("tiktoken-cache")
    for name in ("gpt2/encoder.json", "gpt2/vocab.bpe"):
        asset = assets.get_asset(name)
        shutil.copy(assets.fetch(name), cache / hashlib.sha1(asset.url.encode()).hexdigest())
    old = os.environ.get("TIKTOKEN_CACHE_DIR")
    os.environ["TIKTOKEN_CACHE_DIR"] = str(cache)
    try:
        yield tiktoken.get_encoding("gpt2")
    finally:
        if old is None:
            del os.environ["TIKTOKEN_CACHE_DIR"]
        else:
            os.environ["TIKTOKEN_CACHE_DIR"] = old


@pytest.fixture(autouse=True)
def progress_file(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory):
    """Each test records exercise progress in a file of its own, never the user's."""
    path = tmp_path_factory.mktemp("progress") / "progress.json"
    monkeypatch.setenv("LLMPREP_PROGRESS", str(path))
    return path
