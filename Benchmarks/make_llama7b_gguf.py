"""Writes a GGUF file with Llama-2-7B's header (Q4_K_M's tensor table: 291 tensors,
6,738,415,616 parameters, and llama.cpp's metadata keys with a 32,000-entry token list) and
no tensor data: the header is written by the `gguf` package, then the file is extended to
its full size with `truncate`, so the payload is a hole (sparse, about 4 GB apparent size,
a few hundred KB on disk). The token strings are synthetic (the real vocabulary would need a
download); their count and typical length are Llama's.

    /root/venvs/llmh/bin/python Benchmarks/make_llama7b_gguf.py OUT.gguf
"""

import os
import sys

import gguf
import numpy
from gguf import GGMLQuantizationType as Q

LAYERS, HIDDEN, FFN, VOCAB = 32, 4096, 11008, 32000


def tensors():
    yield "token_embd.weight", (VOCAB, HIDDEN), Q.Q4_K
    for block in range(LAYERS):
        # llama.cpp's Q4_K_M: Q6_K for half of attn_v and ffn_down, Q4_K elsewhere.
        heavy = block < LAYERS // 8 or block >= 7 * LAYERS // 8 or (block - LAYERS // 8) % 3 == 2
        yield f"blk.{block}.attn_q.weight", (HIDDEN, HIDDEN), Q.Q4_K
        yield f"blk.{block}.attn_k.weight", (HIDDEN, HIDDEN), Q.Q4_K
        yield f"blk.{block}.attn_v.weight", (HIDDEN, HIDDEN), Q.Q6_K if heavy else Q.Q4_K
        yield f"blk.{block}.attn_output.weight", (HIDDEN, HIDDEN), Q.Q4_K
        yield f"blk.{block}.ffn_gate.weight", (FFN, HIDDEN), Q.Q4_K
        yield f"blk.{block}.ffn_up.weight", (FFN, HIDDEN), Q.Q4_K
        yield f"blk.{block}.ffn_down.weight", (HIDDEN, FFN), Q.Q6_K if heavy else Q.Q4_K
        yield f"blk.{block}.attn_norm.weight", (HIDDEN,), Q.F32
        yield f"blk.{block}.ffn_norm.weight", (HIDDEN,), Q.F32
    yield "output_norm.weight", (HIDDEN,), Q.F32
    yield "output.weight", (VOCAB, HIDDEN), Q.Q6_K


def main(path):
    writer = gguf.GGUFWriter(path, "llama")
    writer.add_name("LLaMA v2")
    writer.add_context_length(4096)
    writer.add_embedding_length(HIDDEN)
    writer.add_block_count(LAYERS)
    writer.add_feed_forward_length(FFN)
    writer.add_rope_dimension_count(128)
    writer.add_head_count(32)
    writer.add_head_count_kv(32)
    writer.add_layer_norm_rms_eps(1e-5)
    writer.add_file_type(15)  # MOSTLY_Q4_K_M
    writer.add_tokenizer_model("llama")
    writer.add_token_list([f"<0x{i:02X}>" if i < 259 else f"▁tok{i}" for i in range(VOCAB)])
    writer.add_token_scores([float(-i) for i in range(VOCAB)])
    writer.add_token_types([1] * VOCAB)
    writer.add_bos_token_id(1)
    writer.add_eos_token_id(2)
    writer.add_unk_token_id(0)
    data = 0
    for name, shape, qtype in tensors():
        block, size = gguf.GGML_QUANT_SIZES[qtype]
        elements = 1
        for dim in shape:
            elements *= dim
        nbytes = elements // block * size
        writer.add_tensor_info(name, shape, numpy.float32, nbytes, raw_dtype=qtype)
        data += (nbytes + 31) // 32 * 32
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_ti_data_to_file()
    writer.close()
    header = os.path.getsize(path)
    os.truncate(path, (header + 31) // 32 * 32 + data)
    print(f"{path}: header {header} bytes, file {os.path.getsize(path)} bytes")


if __name__ == "__main__":
    main(sys.argv[1])
