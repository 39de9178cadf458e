from __future__ import annotations

import math

import pytest
import torch

from llmprep.embeddings import InputEmbedding, sinusoidal_positions


def test_the_study_notes_shapes() -> None:
    torch.manual_seed(123)
    embed = InputEmbedding(50257, 256, context_length=4)
    batch = torch.randint(0, 50257, (8, 4))
    out = embed(batch)
    assert out.shape == (8, 4, 256)
    assert embed.positions(4).shape == (4, 256)
    assert embed(batch[0]).shape == (4, 256)  # a single sequence works too


def test_output_is_token_plus_position_broadcast_over_the_batch() -> None:
    torch.manual_seed(0)
    embed = InputEmbedding(10, 6, context_length=5)
    ids = torch.tensor([[1, 2, 3], [3, 2, 1]])
    expected = embed.token_embedding.weight[ids] + embed.position_embedding.weight[:3]
    torch.testing.assert_close(embed(ids), expected)
    # the same token at two positions gets two different vectors
    assert not torch.equal(embed(ids)[0, 2], embed(ids)[1, 0])


@pytest.mark.parametrize(("length", "dim"), [(1, 1), (7, 4), (50, 17), (16, 64)])
def test_sinusoidal_formula_value_by_value(length: int, dim: int) -> None:
    table = sinusoidal_positions(length, dim)
    assert table.shape == (length, dim) and table.dtype == torch.float32
    for pos in range(length):
        for d in range(dim):
            angle = pos / 10000 ** ((d - d % 2) / dim)
            expected = math.sin(angle) if d % 2 == 0 else math.cos(angle)
            assert abs(float(table[pos, d]) - expected) < 1e-6, (pos, d)


def test_sinusoidal_positions_are_fixed_and_not_trained() -> None:
    embed = InputEmbedding(10, 8, context_length=6, positional="sinusoidal")
    ids = torch.tensor([[1, 2, 3]])
    added = embed(ids) - embed.token_embedding(ids)
    torch.testing.assert_close(added[0], sinusoidal_positions(6, 8)[:3])
    assert [name for name, _ in embed.named_parameters()] == ["token_embedding.weight"]
    assert "sinusoids" not in embed.state_dict()  # rebuilt, never saved


def test_determinism_under_a_seed() -> None:
    outputs = []
    for _ in range(2):
        torch.manual_seed(42)
        embed = InputEmbedding(100, 16, context_length=8, dropout=0.1)
        outputs.append(embed(torch.arange(8).repeat(2, 1)))
    torch.testing.assert_close(outputs[0], outputs[1])


def test_gradient_reaches_both_tables_for_learned_positions() -> None:
    embed = InputEmbedding(20, 4, context_length=6)
    embed(torch.tensor([[5, 7, 5]])).sum().backward()
    token_grad = embed.token_embedding.weight.grad
    assert token_grad[5].eq(2).all() and token_grad[7].eq(1).all()
    assert token_grad[[0, 1, 6]].eq(0).all()
    position_grad = embed.position_embedding.weight.grad
    assert position_grad[:3].eq(1).all() and position_grad[3:].eq(0).all()


def test_dropout_only_in_training() -> None:
    torch.manual_seed(0)
    embed = InputEmbedding(20, 64, context_length=4, dropout=0.5)
    ids = torch.tensor([[1, 2, 3, 4]])
    assert (embed(ids) == 0).any()
    embed.eval()
    torch.testing.assert_close(embed(ids), embed.token_embedding(ids) + embed.positions(4))


def test_module_follows_its_device_and_dtype() -> None:
    embed = InputEmbedding(20, 4, context_length=6, positional="sinusoidal").to(torch.float64)
    assert embed(torch.tensor([[1, 2]], dtype=torch.int32)).dtype == torch.float64
    assert embed.sinusoids.dtype == torch.float64  # the buffer moved with the module
    # ids on another device move to the module's: here both are the CPU, so this checks
    # the call path; on a GPU machine the same call takes CPU ids to the GPU.
    assert embed(torch.tensor([1, 2])).device == embed.token_embedding.weight.device


def test_bad_input_names_the_problem() -> None:
    embed = InputEmbedding(50, 8, context_length=4)
    with pytest.raises(ValueError, match="5 tokens is longer than context_length=4"):
        embed(torch.zeros(2, 5, dtype=torch.long))
    with pytest.raises(ValueError, match=r"token id 50 is outside the vocabulary \(ids 0..49\)"):
        embed(torch.tensor([[1, 50]]))
    with pytest.raises(ValueError, match="token id -1 is outside"):
        embed(torch.tensor([[-1, 2]]))
    with pytest.raises(TypeError, match="must be integers, got torch.float32"):
        embed(torch.tensor([[1.0, 2.0]]))
    with pytest.raises(ValueError, match="positional must be 'learned' or 'sinusoidal'"):
        InputEmbedding(50, 8, 4, positional="rotary")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="emb_dim must be a whole number of at least 1"):
        sinusoidal_positions(4, 0)


# ---- issue 13: the ids users actually have; numbers out of range ------------------


def test_ids_of_every_kind_users_have(tmp_path) -> None:
    import numpy as np

    torch.manual_seed(0)
    embed = InputEmbedding(50257, 8, context_length=6)
    reference = embed(torch.tensor([[40, 367, 2885, 50256]]))
    memmap = np.memmap(tmp_path / "ids.bin", dtype=np.uint16, mode="w+", shape=(4,))
    memmap[:] = [40, 367, 2885, 50256]
    memmap.flush()
    read_only = np.memmap(tmp_path / "ids.bin", dtype=np.uint16, mode="r", shape=(1, 4))
    for ids in (
        torch.from_numpy(np.array(read_only)),  # uint16 tensor from a token file
        torch.tensor([[40, 367, 2885, 50256]], dtype=torch.int32),
        read_only,  # a NumPy memory map, not writable
        [[40, 367, 2885, 50256]],
    ):
        torch.testing.assert_close(embed(ids), reference)
    single = embed(torch.tensor(367))  # a 0-d id: one token at position 0
    assert single.shape == (8,)
    torch.testing.assert_close(single, embed(torch.tensor([367]))[0])
    with pytest.raises(TypeError, match="must be integers, got a float64 array"):
        embed(np.array([[1.5, 2.0]]))
    with pytest.raises(TypeError, match="must be a tensor, a NumPy array or a list"):
        embed("40 367")


def test_id_checks_cost_no_device_sync_unless_asked() -> None:
    embed = InputEmbedding(100, 4, context_length=4)
    with pytest.raises(ValueError, match="token id 100 is outside the vocabulary"):
        embed(torch.tensor([[1, 100]]))  # CPU ids: checked before they move
    quiet = InputEmbedding(100, 4, context_length=4, check_ids="never")
    with pytest.raises(IndexError):  # torch's own error: the check was skipped as asked
        quiet(torch.tensor([[1, 100]]))
    with pytest.raises(ValueError, match="check_ids must be 'cpu', 'always' or 'never'"):
        InputEmbedding(100, 4, context_length=4, check_ids="sometimes")  # type: ignore[arg-type]


def test_sizes_and_base_must_make_sense() -> None:
    import numpy as np

    with pytest.raises(ValueError, match="base must be a number greater than 1"):
        sinusoidal_positions(4, 8, base=0)
    with pytest.raises(ValueError, match="base must be a number greater than 1"):
        sinusoidal_positions(4, 8, base=float("nan"))
    with pytest.raises(TypeError, match="emb_dim must be a whole number"):
        sinusoidal_positions(4, 8.0)
    assert sinusoidal_positions(np.int64(4), 8).shape == (4, 8)
    with pytest.raises(TypeError, match="vocab_size must be a whole number"):
        InputEmbedding(50257.0, 8, 4)
