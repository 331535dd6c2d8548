"""Reference figures for the llm view's encoder-decoder arithmetic, from a small T5 built in
torch from its config (random init, no download).

Records sum(p.numel()) over the unique parameters (the tied head once), the bytes of the
EncoderDecoderCache's self-attention and cross-attention tensors after the decoder reaches T
tokens (float32), and torch.utils.flop_counter.FlopCounterMode's totals for (a) the encoder
over S source tokens plus the first decoder pass over P decoder tokens (which computes the
cross-attention keys and values once per decoder layer) and (b) one decode step that brings
the decoder to T tokens (self-attention over T keys, cross-attention over S encoder tokens,
the cached cross keys and values reused). Attention runs eagerly (explicit matmuls).
The same model is saved by `save_pretrained` (float16: model.safetensors and config.json,
nothing else; the payload then zeroed) into HEADERS_DIR, for the safetensors header path.
Usage: make_encdec_fixture.py OUT.json HEADERS_DIR
"""

import json
import pathlib
import sys

import torch
import transformers
from torch.utils.flop_counter import FlopCounterMode
from transformers import T5Config, T5ForConditionalGeneration

SOURCE = 40
PROMPT = 8
CONTEXT = 16

CONFIG = dict(
    d_model=64, d_kv=16, num_heads=4, d_ff=128, num_layers=2, num_decoder_layers=2, vocab_size=500,
    relative_attention_num_buckets=32, feed_forward_proj="relu", tie_word_embeddings=True,
    decoder_start_token_id=0, pad_token_id=0)


def split_cache_bytes(cache):
    """Bytes of the self-attention and of the cross-attention key and value tensors."""
    def total(part):
        size = 0
        for layer in part.layers:
            for tensor in (layer.keys, layer.values):
                size += tensor.numel() * tensor.element_size()
        return size
    return total(cache.self_attention_cache), total(cache.cross_attention_cache)


def main():
    torch.set_num_threads(2)
    config = T5Config(**CONFIG)
    torch.manual_seed(0)
    model = T5ForConditionalGeneration._from_config(config, attn_implementation="eager").eval()
    params = sum(p.numel() for p in model.parameters())
    source = torch.randint(1, config.vocab_size, (1, SOURCE))
    target = torch.randint(1, config.vocab_size, (1, CONTEXT))
    with torch.no_grad():
        counter = FlopCounterMode(display=False)
        with counter:
            model(input_ids=source, decoder_input_ids=target[:, :PROMPT], use_cache=True)
        prefill = counter.get_total_flops()
        counter = FlopCounterMode(display=False)
        with counter:
            encoded = model.get_encoder()(input_ids=source)
        encoder = counter.get_total_flops()
        out = model(encoder_outputs=encoded, decoder_input_ids=target[:, : CONTEXT - 1], use_cache=True)
        counter = FlopCounterMode(display=False)
        with counter:
            out = model(
                encoder_outputs=encoded, decoder_input_ids=target[:, CONTEXT - 1 :],
                past_key_values=out.past_key_values, use_cache=True)
        decode = counter.get_total_flops()
        self_bytes, cross_bytes = split_cache_bytes(out.past_key_values)
    result = {
        "t5-tiny": {
            "config": CONFIG,
            "tools": {"torch": torch.__version__, "transformers": transformers.__version__},
            "parameters": params,
            "source_tokens": SOURCE,
            "prefill_tokens": PROMPT,
            "prefill_flops": prefill,
            "encoder_flops": encoder,
            "decode_context": CONTEXT,
            "decode_flops": decode,
            "kv_self_bytes": self_bytes,
            "kv_cross_bytes": cross_bytes,
            "kv_dtype": "float32",
        }
    }
    folder = pathlib.Path(sys.argv[2])
    model.to(torch.float16).save_pretrained(folder, safe_serialization=True)
    for extra in folder.iterdir():
        if extra.name not in ("config.json", "model.safetensors"):
            extra.unlink()
    # The view reads the header only: zero the payload (same size) so that git stores it small.
    data = bytearray((folder / "model.safetensors").read_bytes())
    start = 8 + int.from_bytes(data[:8], "little")
    data[start:] = bytes(len(data) - start)
    (folder / "model.safetensors").write_bytes(bytes(data))
    with open(sys.argv[1], "w") as f:
        json.dump(result, f, indent=2, sort_keys=True)
        f.write("\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
