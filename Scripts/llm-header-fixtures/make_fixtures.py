"""Writes small GGUF and safetensors files from tiny Hugging Face configs (random init) and
records, for each, sum(numel) of the same model built in torch, in manifest.json.

Each model is built by transformers from its config; the safetensors file and config.json
are what `save_pretrained` writes (float16); the GGUF file is written by the `gguf` package's
GGUFWriter with llama.cpp's tensor names and metadata keys (the names convert_hf_to_gguf.py
gives), in F32 (norms, biases), F16 (embeddings, output), Q8_0 (attention, experts) and Q4_K
(ffn_down where its rows are a multiple of 256). Tied embeddings are written once, as torch
holds them (convert_hf_to_gguf.py copies GPT-2's into output.weight; these files do not).

    python make_fixtures.py OUTPUT_FOLDER
"""

import json
import re
import shutil
import sys
from pathlib import Path

import gguf
import numpy as np
import safetensors
import torch
import transformers
from gguf import GGMLQuantizationType as Q

torch.manual_seed(0)

SMALL = dict(num_hidden_layers=2, hidden_size=32, intermediate_size=64, num_attention_heads=4,
             vocab_size=96, max_position_embeddings=128)
MODELS = {
    "gpt2": ("gpt2", transformers.GPT2Config(n_layer=2, n_embd=32, n_head=4, n_positions=64, vocab_size=96)),
    "llama": ("llama", transformers.LlamaConfig(**{**SMALL, "hidden_size": 64, "intermediate_size": 256},
                                                num_key_value_heads=2, tie_word_embeddings=False)),
    "mistral": ("llama", transformers.MistralConfig(**SMALL, num_key_value_heads=1, sliding_window=64)),
    "mixtral": ("llama", transformers.MixtralConfig(**SMALL, num_key_value_heads=2, num_local_experts=4,
                                                    num_experts_per_tok=2)),
    "qwen2": ("qwen2", transformers.Qwen2Config(**SMALL, num_key_value_heads=2, tie_word_embeddings=True)),
    "phi3": ("phi3", transformers.Phi3Config(**SMALL, num_key_value_heads=4, pad_token_id=0)),
}

# Hugging Face parameter names to llama.cpp's (gguf-py/gguf/tensor_mapping.py).
NAMES = [
    (r"(model\.embed_tokens|transformer\.wte)\.weight", "token_embd.weight"),
    (r"transformer\.wpe\.weight", "position_embd.weight"),
    (r"(model\.norm|transformer\.ln_f)\.(weight|bias)", r"output_norm.\2"),
    (r"lm_head\.weight", "output.weight"),
    (r"(model\.layers|transformer\.h)\.(\d+)\.(input_layernorm|ln_1)\.(weight|bias)", r"blk.\2.attn_norm.\4"),
    (r"(model\.layers|transformer\.h)\.(\d+)\.(post_attention_layernorm|ln_2)\.(weight|bias)", r"blk.\2.ffn_norm.\4"),
    (r"model\.layers\.(\d+)\.self_attn\.([qkv])_proj\.(weight|bias)", r"blk.\1.attn_\2.\3"),
    (r"model\.layers\.(\d+)\.self_attn\.qkv_proj\.weight", r"blk.\1.attn_qkv.weight"),
    (r"transformer\.h\.(\d+)\.attn\.c_attn\.(weight|bias)", r"blk.\1.attn_qkv.\2"),
    (r"model\.layers\.(\d+)\.self_attn\.o_proj\.weight", r"blk.\1.attn_output.weight"),
    (r"transformer\.h\.(\d+)\.attn\.c_proj\.(weight|bias)", r"blk.\1.attn_output.\2"),
    (r"model\.layers\.(\d+)\.mlp\.gate_proj\.weight", r"blk.\1.ffn_gate.weight"),
    (r"model\.layers\.(\d+)\.mlp\.(up|gate_up)_proj\.weight", r"blk.\1.ffn_up.weight"),
    (r"transformer\.h\.(\d+)\.mlp\.c_fc\.(weight|bias)", r"blk.\1.ffn_up.\2"),
    (r"model\.layers\.(\d+)\.mlp\.down_proj\.weight", r"blk.\1.ffn_down.weight"),
    (r"transformer\.h\.(\d+)\.mlp\.c_proj\.(weight|bias)", r"blk.\1.ffn_down.\2"),
    (r"model\.layers\.(\d+)\.(mlp|block_sparse_moe)\.(gate|router)\.weight", r"blk.\1.ffn_gate_inp.weight"),
    (r"model\.layers\.(\d+)\.(mlp|block_sparse_moe)\.experts\.down_proj", r"blk.\1.ffn_down_exps.weight"),
]


def gguf_tensors(name, value, gpt2):
    """(gguf name, numpy array in GGUF's outermost-first order) for one HF parameter."""
    array = value.detach().float().numpy()
    fused = re.fullmatch(r"model\.layers\.(\d+)\.(mlp|block_sparse_moe)\.experts\.gate_up_proj", name)
    if fused:  # [experts, 2 x ffn, hidden]: gate then up, as llama.cpp stores them apart
        half = array.shape[1] // 2
        block = fused.group(1)
        return [(f"blk.{block}.ffn_gate_exps.weight", array[:, :half]),
                (f"blk.{block}.ffn_up_exps.weight", array[:, half:])]
    for pattern, replacement in NAMES:
        if re.fullmatch(pattern, name):
            target = re.sub(pattern, replacement, name)
            if gpt2 and array.ndim == 2 and re.search(r"\.(c_attn|c_proj|c_fc)\.", name):
                array = array.T.copy()  # GPT-2's Conv1D stores [in, out]
            return [(target, array)]
    raise SystemExit(f"no GGUF name for {name}")


def storage_type(name, array):
    if array.ndim == 1:
        return Q.F32
    if name in ("token_embd.weight", "output.weight", "position_embd.weight"):
        return Q.F16
    if "ffn_down" in name and array.shape[-1] % 256 == 0:
        return Q.Q4_K
    return Q.Q8_0 if array.shape[-1] % 32 == 0 else Q.F16


def add_tensor(writer, name, array, qtype):
    if qtype == Q.F32:
        writer.add_tensor(name, array.astype(np.float32))
    elif qtype == Q.F16:
        writer.add_tensor(name, array.astype(np.float16))
    else:
        try:
            data = gguf.quants.quantize(array.astype(np.float32), qtype)
        except NotImplementedError:  # a declared type with a correctly sized zero payload
            data = np.zeros(gguf.quants.quant_shape_to_byte_shape(array.shape, qtype), dtype=np.uint8)
        writer.add_tensor(name, data, raw_dtype=qtype)
    return qtype.name


def write_gguf(path, arch, config, model):
    gpt2 = arch == "gpt2"
    writer = gguf.GGUFWriter(str(path), arch)
    writer.add_name(path.stem)
    hidden = config.n_embd if gpt2 else config.hidden_size
    heads = config.n_head if gpt2 else config.num_attention_heads
    writer.add_block_count(config.n_layer if gpt2 else config.num_hidden_layers)
    writer.add_embedding_length(hidden)
    writer.add_head_count(heads)
    writer.add_context_length(config.n_positions if gpt2 else config.max_position_embeddings)
    writer.add_feed_forward_length((config.n_inner or 4 * hidden) if gpt2 else config.intermediate_size)
    if gpt2:
        writer.add_layer_norm_eps(config.layer_norm_epsilon)
    else:
        writer.add_head_count_kv(config.num_key_value_heads)
        writer.add_layer_norm_rms_eps(config.rms_norm_eps)
        writer.add_rope_dimension_count(hidden // heads)
        writer.add_rope_freq_base(float(getattr(config, "rope_theta", None) or 10000.0))
    if getattr(config, "num_local_experts", None):
        writer.add_expert_count(config.num_local_experts)
        writer.add_expert_used_count(config.num_experts_per_tok)
    writer.add_tokenizer_model("gpt2" if gpt2 else "llama")
    writer.add_token_list([f"<t{i}>" for i in range(config.vocab_size)])
    types = {}
    for name, value in model.named_parameters():
        for target, array in gguf_tensors(name, value, gpt2):
            qtype = storage_type(target, array)
            types[target] = add_tensor(writer, target, array, qtype)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return types


def main(out):
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    manifest = {"tools": {"torch": torch.__version__, "transformers": transformers.__version__,
                          "gguf": getattr(gguf, "__version__", None) or version("gguf"),
                          "safetensors": safetensors.__version__, "numpy": np.__version__},
                "models": {}}
    for name, (arch, config) in MODELS.items():
        model = transformers.AutoModelForCausalLM.from_config(config).eval()
        folder = out / name
        shutil.rmtree(folder, ignore_errors=True)
        model.to(torch.float16).save_pretrained(folder, safe_serialization=True)
        for extra in folder.iterdir():
            if extra.name not in ("config.json", "model.safetensors"):
                extra.unlink()
        types = write_gguf(out / f"{name}.gguf", arch, config, model)
        saved = json.loads((folder / "config.json").read_text())
        manifest["models"][name] = {
            "gguf": f"{name}.gguf", "gguf_architecture": arch, "safetensors": f"{name}/model.safetensors",
            "torch_parameters": sum(p.numel() for p in model.parameters()),
            "tensors": len(list(model.named_parameters())),
            "gguf_types": sorted(set(types.values())),
            "config": {key: saved.get(key) for key in (
                "model_type", "n_layer", "n_embd", "n_head", "n_inner", "n_positions", "num_hidden_layers",
                "hidden_size", "num_attention_heads", "num_key_value_heads", "head_dim", "intermediate_size",
                "vocab_size", "max_position_embeddings", "tie_word_embeddings", "num_local_experts",
                "num_experts_per_tok") if saved.get(key) is not None},
        }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    print(json.dumps({k: v["torch_parameters"] for k, v in manifest["models"].items()}))


def version(package):
    from importlib.metadata import version as v
    return v(package)


if __name__ == "__main__":
    main(sys.argv[1])
