"""Writes NAME.nodes.tsv and NAME.totals.json for the convention tests from the
reference zoo (/work/shared/reference/zoo/public): node facts come from NAME.onnx
(names, op types, input names, attributes, initializer dims) and NAME.shapes.json
(onnx.shape_inference dims, checked against onnxruntime); totals from NAME.ref.json.

Columns: name, op, inputs (';'-joined), data_inputs (inputs that are neither initializers
nor Constant outputs), first data input's shape, output shape (x-joined),
kernel, strides, pads (','-joined; empty when the op has no window),
macs (Conv: N*Cout*prod(O)*W[1]*prod(K); Gemm: numel(Y)*K; 0 otherwise),
params (elements of the float initializers the node reads).
Needs `pip install onnx`. Run: python3 make_zoo_tables.py /work/shared/reference/zoo/public
"""
import json, sys
import onnx

MODELS = ["lenet5", "alexnet", "vgg16", "seed_resnet", "resnet18", "resnet50", "mobilenet_v2"]


def prod(values):
    result = 1
    for v in values:
        result *= v
    return result


def table(zoo, name):
    model = onnx.load(f"{zoo}/{name}.onnx", load_external_data=False)
    shapes = json.load(open(f"{zoo}/{name}.shapes.json"))
    dims = dict(shapes["tensors"])
    initializers = shapes["initializers"]
    constants = {o for n in model.graph.node if n.op_type == "Constant" for o in n.output}
    rows = []
    for node in model.graph.node:
        if node.op_type == "Constant":
            continue
        attrs = {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}
        data = [i for i in node.input if i and i not in initializers and i not in constants and i in dims]
        x, y = dims[data[0]], dims[node.output[0]]
        macs = 0
        if node.op_type == "Conv":
            w = initializers[node.input[1]]
            macs = prod(y) * prod(w[1:])
        elif node.op_type == "Gemm":
            w = initializers[node.input[1]]
            macs = prod(y) * (w[1] if attrs.get("transB", 0) else w[0])
        params = sum(prod(initializers[i]) for i in node.input if i in initializers)
        window = ["", "", ""]
        if "kernel_shape" in attrs or node.op_type == "Conv":
            k = attrs.get("kernel_shape") or initializers[node.input[1]][2:]
            window = [",".join(map(str, v)) for v in (k, attrs.get("strides", [1] * len(k)), attrs.get("pads", [0] * 2 * len(k)))]
        rows.append([node.name, node.op_type, ";".join(node.input), str(len(data)), "x".join(map(str, x)), "x".join(map(str, y)), *window, str(macs), str(params)])
    return rows


def totals(zoo, name):
    ref = json.load(open(f"{zoo}/{name}.ref.json"))
    return {
        "source": f"reference/zoo/public/{name}.ref.json (tools run on the PyTorch model, batch 1, eval)",
        "torch_params": ref["torch"]["params"],
        "fvcore": ref["fvcore"]["total"],
        "fvcore_batch_norm": ref["fvcore"]["by_operator"].get("batch_norm", 0),
        "ptflops": ref["ptflops_pytorch"]["macs"],
        "ptflops-aten": ref["ptflops_aten"]["macs"],
        "thop": ref["thop"]["macs"],
        "torchinfo": ref["torchinfo"]["total_mult_adds"],
        "onnx-tool": ref["onnx_tool"]["macs"],
        "onnx-tool_params": ref["onnx_tool"]["params"],
        "torch-flop-counter": ref["torch_flop_counter"]["flops"],
        "calflops": ref["calflops"]["flops"],
        "calflops_macs": ref["calflops"]["macs"],
    }


if __name__ == "__main__":
    zoo = sys.argv[1]
    for name in MODELS:
        with open(f"{name}.nodes.tsv", "w") as f:
            f.write("\t".join(["name", "op", "inputs", "data_inputs", "input", "output", "kernel", "strides", "pads", "macs", "params"]) + "\n")
            for row in table(zoo, name):
                f.write("\t".join(row) + "\n")
        with open(f"{name}.totals.json", "w") as f:
            json.dump(totals(zoo, name), f, indent=1)
            f.write("\n")
