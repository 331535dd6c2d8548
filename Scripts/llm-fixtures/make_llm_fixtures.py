"""Reference figures for the llm view, from models built in torch (random init, no download).

For each config: sum(p.numel()) over the model's unique parameters, the bytes of the KV cache
tensors after a prefill of T tokens (float32), and torch.utils.flop_counter.FlopCounterMode's
totals for a forward over a prompt of N tokens and for one decode step that brings the
sequence to T tokens (the new token attends to T keys, its own included). Attention runs in
eager mode (explicit matmuls), so the flop counter sees QK^T and AV over the whole T x T score
matrix (no causal halving), and a mixture's experts run as a loop of linear layers over the
tokens routed to each (so the counter sees exactly the active experts). Usage: make_llm_fixtures.py OUT.json
"""

import json
import os
import sys
import tempfile
import zipfile

import torch
import transformers
from torch.utils.flop_counter import FlopCounterMode
from transformers import AutoModelForCausalLM

PROMPT = 48
CONTEXT = 64

# Small configs of each family: the real models' structure (heads, kv heads, gating, biases,
# tying), fewer layers and narrower widths so the script runs in minutes on two cores.
CONFIGS = {
    "gpt2-small-2l": dict(
        model_type="gpt2", n_layer=2, n_embd=768, n_head=12, n_inner=None, vocab_size=50257,
        n_positions=1024, tie_word_embeddings=True),
    "llama-3-tiny": dict(
        model_type="llama", num_hidden_layers=2, hidden_size=512, num_attention_heads=8,
        num_key_value_heads=2, intermediate_size=1792, vocab_size=8000,
        max_position_embeddings=8192, tie_word_embeddings=False, attention_bias=False,
        mlp_bias=False),
    "mistral-tiny": dict(
        model_type="mistral", num_hidden_layers=2, hidden_size=512, num_attention_heads=8,
        num_key_value_heads=2, intermediate_size=1536, vocab_size=8000,
        max_position_embeddings=4096, tie_word_embeddings=False, sliding_window=None),
    "mixtral-tiny": dict(
        model_type="mixtral", num_hidden_layers=2, hidden_size=256, num_attention_heads=8,
        num_key_value_heads=2, intermediate_size=512, vocab_size=4000,
        max_position_embeddings=4096, num_local_experts=4, num_experts_per_tok=2,
        tie_word_embeddings=False, sliding_window=None),
    "qwen2-tiny": dict(
        model_type="qwen2", num_hidden_layers=2, hidden_size=448, num_attention_heads=7,
        num_key_value_heads=1, intermediate_size=1216, vocab_size=6000,
        max_position_embeddings=4096, tie_word_embeddings=True, use_sliding_window=False),
    "phi3-tiny": dict(
        model_type="phi3", num_hidden_layers=2, hidden_size=384, num_attention_heads=6,
        num_key_value_heads=6, intermediate_size=1024, vocab_size=4096,
        max_position_embeddings=4096, tie_word_embeddings=False, pad_token_id=0),
}


def cache_bytes(cache):
    """Bytes of every key and value tensor a cache holds."""
    total = 0
    for layer in getattr(cache, "layers", []):
        for name in ("keys", "values"):
            tensor = getattr(layer, name, None)
            if tensor is not None:
                total += tensor.numel() * tensor.element_size()
    if total == 0:  # older transformers: key_cache / value_cache lists
        for tensor in list(cache.key_cache) + list(cache.value_cache):
            total += tensor.numel() * tensor.element_size()
    return total


def measure(name, config_dict):
    kind = config_dict.pop("model_type")
    config = transformers.AutoConfig.for_model(kind, **config_dict)
    config._attn_implementation = "eager"
    # Experts as a loop of linear layers: the default grouped matmul (torch._grouped_mm) is
    # not among the ops FlopCounterMode counts.
    config._experts_implementation = "eager"
    torch.manual_seed(0)
    model = AutoModelForCausalLM.from_config(config, attn_implementation="eager")
    model.eval()
    params = sum(p.numel() for p in model.parameters())  # parameters() yields tied ones once
    ids = torch.randint(0, config.vocab_size, (1, CONTEXT))
    with torch.no_grad():
        counter = FlopCounterMode(display=False)
        with counter:
            model(ids[:, :PROMPT], use_cache=True)
        prefill = counter.get_total_flops()
        # Prefill T - 1 tokens, then one step: the sequence reaches T tokens.
        out = model(ids[:, : CONTEXT - 1], use_cache=True)
        counter = FlopCounterMode(display=False)
        with counter:
            out = model(ids[:, CONTEXT - 1 :], past_key_values=out.past_key_values, use_cache=True)
        decode = counter.get_total_flops()
        kv = cache_bytes(out.past_key_values)
    config_dict["model_type"] = kind
    return {
        "config": config_dict,
        "parameters": params,
        "prefill_tokens": PROMPT,
        "prefill_flops": prefill,
        "decode_context": CONTEXT,
        "decode_flops": decode,
        "kv_cache_tokens": CONTEXT,
        "kv_cache_bytes": kv,
        "kv_dtype": "float32",
    }


def export_pt2(path):
    """A tiny Llama (GQA 4/2) as a torch.export archive without payloads (every entry under a
    data/ folder dropped, as Scripts/pt2-fixtures does), with its reference figures."""
    config = transformers.AutoConfig.for_model(
        "llama", num_hidden_layers=2, hidden_size=64, num_attention_heads=4, num_key_value_heads=2,
        intermediate_size=160, vocab_size=500, max_position_embeddings=256, tie_word_embeddings=False)
    torch.manual_seed(0)
    model = AutoModelForCausalLM.from_config(config, attn_implementation="eager").eval()

    class Logits(torch.nn.Module):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, ids):
            return self.inner(ids, use_cache=False).logits

    ids = torch.randint(0, 500, (1, 16))
    program = torch.export.export(Logits(model).eval(), (ids,))
    with tempfile.TemporaryDirectory() as tmp:
        full = os.path.join(tmp, "full.pt2")
        torch.export.save(program, full)
        with zipfile.ZipFile(full) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
            for info in zin.infolist():
                if "/data/" not in "/" + info.filename:
                    zout.writestr(info.filename, zin.read(info.filename))
    counter = FlopCounterMode(display=False)
    with counter:
        program.module()(ids)
    return {
        "config": {k: getattr(config, k) for k in (
            "num_hidden_layers", "hidden_size", "num_attention_heads", "num_key_value_heads",
            "intermediate_size", "vocab_size")},
        "parameters": sum(p.numel() for p in model.parameters()),
        "buffers": {n: b.numel() for n, b in model.named_buffers()},
        "prefill_tokens": 16,
        "prefill_flops": counter.get_total_flops(),
    }


def main():
    torch.set_num_threads(2)
    models = {name: measure(name, dict(config)) for name, config in CONFIGS.items()}
    for name, figures in models.items():
        print(name, figures["parameters"], figures["kv_cache_bytes"], figures["prefill_flops"],
              figures["decode_flops"])
    document = {
        "tool": "torch.utils.flop_counter.FlopCounterMode, transformers AutoModelForCausalLM",
        "torch": torch.__version__,
        "transformers": transformers.__version__,
        "attention": "eager",
        "experts": "eager",
        "models": models,
        "pt2": export_pt2(os.path.join(os.path.dirname(sys.argv[1]), "llama-tiny.pt2")),
    }
    with open(sys.argv[1], "w") as out:
        json.dump(document, out, indent=1, sort_keys=True)
        out.write("\n")


if __name__ == "__main__":
    main()
