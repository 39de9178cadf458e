"""Stage 4 on a cluster: the shards of a corpus prepared as tasks of Dask distributed.

``llmprep prepare FILES... --out DIR --dask ADDRESS [--shards N]`` (or
:func:`prepare_on_dask`) sends one task per shard to the Dask scheduler at ``ADDRESS``;
each task runs ``prepare --shard K/N`` on a worker, so the shards are byte for byte those
N separate runs would write. The workers must see the inputs and ``DIR`` at the same
paths (a shared file system); then the manifest is written here. Needs the ``cluster``
extra: ``pip install 'llmprep[cluster]'``.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

__all__ = ["prepare_on_dask"]


def prepare_on_dask(
    inputs: Sequence[str | os.PathLike[str]],
    out: str | os.PathLike[str],
    *,
    address: Any,
    shards: int | None = None,
    tokenizer: str | os.PathLike[str] | None = None,
    field: str = "text",
) -> dict[str, Any]:
    """Prepare ``inputs`` into ``shards`` shards under ``out`` on the Dask cluster at
    ``address`` (a scheduler address, or a ``distributed.Client``), one task per shard
    (default: one per worker thread); return the manifest."""
    try:
        from distributed import Client
    except ImportError:
        raise ImportError(
            "prepare --dask needs Dask distributed: pip install 'llmprep[cluster]'"
        ) from None
    from llmprep._numbers import whole_number
    from llmprep.corpus import check_inputs, shard_files
    from llmprep.shards import write_manifest
    from llmprep.tokenfile import prepare_token_file

    paths = check_inputs(inputs)  # here first: a missing file is named before any task runs
    if isinstance(address, Client):
        client = address
    else:
        try:
            client = Client(address, timeout="30s")
        except OSError as error:  # distributed says "Timed out trying to connect ..."
            raise OSError(
                f"no Dask scheduler answered at {address} ({error}): start one there "
                f"(`dask scheduler`, then `dask worker {address}` on each machine), or check "
                f"the address"
            ) from None
    try:
        if shards is None:
            shards = min(sum(client.nthreads().values()), len(paths))
        shards = whole_number(shards, "--shards")
        shard_files(paths, 0, shards)  # refuses more shards than files, here
        futures = [
            client.submit(
                prepare_token_file,
                [str(p) for p in paths],
                str(out),
                tokenizer=None if tokenizer is None else str(tokenizer),
                field=field,
                shard=(k, shards),
                progress=False,
                key=f"llmprep-prepare-{k}-of-{shards}-{os.getpid()}",
                pure=False,
            )
            for k in range(shards)
        ]
        for k, future in enumerate(futures):
            try:
                future.result()
            except (ValueError, OSError) as error:
                raise type(error)(f"shard {k}/{shards} on the cluster: {error}") from None
    finally:
        if client is not address:
            client.close()
    return write_manifest(out)
