"""Writes the gguf and safetensors fuzz targets' committed seeds (Fuzz/Corpus/gguf,
Fuzz/Corpus/safetensors): tiny files, under 2 KB each, with the structures the readers
branch on: every GGUF metadata value type (arrays of numbers and of strings included), the
plain, Q8_0 and K-quant tensor types, a custom alignment, learned positions and biases; a
safetensors header with __metadata__ and several dtypes.

    /root/venvs/llmh/bin/python Scripts/llm-header-fixtures/make_seeds.py
"""

from pathlib import Path

import gguf
import numpy as np
import torch
from gguf import GGMLQuantizationType as Q
from safetensors.torch import save_file

ROOT = Path(__file__).resolve().parents[2] / "Fuzz" / "Corpus"


def gguf_seed(path, arch, alignment=None, tensors=()):
    writer = gguf.GGUFWriter(str(path), arch)
    if alignment:
        writer.add_custom_alignment(alignment)
    writer.add_block_count(1)
    writer.add_embedding_length(32)
    writer.add_head_count(2)
    writer.add_head_count_kv(1)
    writer.add_context_length(16)
    writer.add_feed_forward_length(64)
    writer.add_expert_count(2)
    writer.add_expert_used_count(1)
    writer.add_key_length(16)
    writer.add_rope_freq_base(10000.0)
    writer.add_layer_norm_rms_eps(1e-5)
    writer.add_bool("general.test.bool", True)
    writer.add_int8("general.test.i8", -3)
    writer.add_uint16("general.test.u16", 7)
    writer.add_int64("general.test.i64", -9)
    writer.add_float64("general.test.f64", 0.5)
    writer.add_token_list(["a", "b", "c", "d"])
    writer.add_token_scores([0.0, 1.0, 2.0, 3.0])
    for name, shape, qtype in tensors:
        data = np.zeros(gguf.quants.quant_shape_to_byte_shape(shape, qtype), dtype=np.uint8)
        writer.add_tensor(name, data, raw_dtype=qtype)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


def main():
    (ROOT / "gguf").mkdir(parents=True, exist_ok=True)
    (ROOT / "safetensors").mkdir(parents=True, exist_ok=True)
    gguf_seed(ROOT / "gguf" / "llama.gguf", "llama", tensors=[
        ("token_embd.weight", (4, 32), Q.F16), ("blk.0.attn_q.weight", (2, 32), Q.Q8_0),
        ("blk.0.ffn_gate.weight", (1, 256), Q.Q4_K), ("blk.0.attn_norm.weight", (8,), Q.F32),
        ("output.weight", (4, 32), Q.BF16)])
    gguf_seed(ROOT / "gguf" / "gpt2.gguf", "gpt2", alignment=64, tensors=[
        ("position_embd.weight", (2, 4), Q.F32), ("blk.0.attn_norm.bias", (4,), Q.F32),
        ("blk.0.attn_qkv.bias", (12,), Q.F16), ("blk.0.ffn_up.weight", (1, 256), Q.Q6_K)])
    gguf_seed(ROOT / "gguf" / "unmapped.gguf", "rwkv6", tensors=[("x", (1, 1, 1, 32), Q.Q4_0)])
    save_file({"a.weight": torch.zeros(2, 3, dtype=torch.float16), "b.bias": torch.zeros(4, dtype=torch.bfloat16),
               "c": torch.zeros(1, 1, 2, dtype=torch.int64), "d": torch.zeros(0, 5)},
              str(ROOT / "safetensors" / "mixed.safetensors"), metadata={"format": "pt"})
    save_file({"model.embed_tokens.weight": torch.zeros(4, 2)}, str(ROOT / "safetensors" / "one.safetensors"))


if __name__ == "__main__":
    main()
