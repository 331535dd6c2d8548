"""Extracts the single-op ONNX backend node tests of ConvScope's math op families from
/work/shared/reference/onnx-node-tests/expected.json (onnx 1.23.2) into math.json.

Inputs and outputs keep their positional ONNX index (omitted optional inputs are absent
from expected.json, so the index comes from the spec's input names). Attributes that
change shapes are not in expected.json; where the test name says them (Gemm transposes,
ArgMax axis/keepdims, Einsum equations) they are copied from the test case definitions in
onnx/backend/test/case/node/{gemm,argmax,argmin,einsum}.py.
Usage: python3 extract_math.py /path/to/expected.json > math.json
"""
import json
import sys

UNARY = """Relu LeakyRelu ThresholdedRelu Sigmoid Tanh HardSigmoid HardSwish Gelu Elu Selu Celu
Softplus Softsign Mish Shrink Exp Abs Neg Reciprocal Sign IsNaN IsInf Erf Sqrt Log Floor Ceil
Round Sin Cos Tan Asin Acos Atan Sinh Cosh Asinh Acosh Atanh Not BitwiseNot PRelu Clip Softmax
LogSoftmax Hardmax CumSum""".split()
BINARY = """Add Sub Mul Div Pow Mod Max Min Sum Mean And Or Xor Equal Greater Less GreaterOrEqual
LessOrEqual BitShift BitwiseAnd BitwiseOr BitwiseXor Where MatMul MatMulInteger""".split()
POSITIONS = {
    "Clip": ["x", "min", "max"],
    "Attention": ["Q", "K", "V", "attn_mask", "past_key", "past_value"],
}
OUTPUT_POSITIONS = {"Attention": ["Y", "present_key", "present_value", "qk_matmul_output"]}
ATTRIBUTES = {
    "test_gemm_all_attributes": {"transA": 1, "transB": 1},
    "test_gemm_transposeA": {"transA": 1},
    "test_gemm_transposeB": {"transB": 1},
    "test_einsum_batch_diagonal": {"equation": "...ii ->...i"},
    "test_einsum_batch_matmul": {"equation": "bij, bjk -> bik"},
    "test_einsum_batch_matmul_bfloat16": {"equation": "bij, bjk -> bik"},
    "test_einsum_inner_prod": {"equation": "i,i"},
    "test_einsum_sum": {"equation": "ij->i"},
    "test_einsum_sum_bfloat16": {"equation": "ij->i"},
    "test_einsum_transpose": {"equation": "ij->ji"},
    "test_einsum_transpose_bfloat16": {"equation": "ij->ji"},
}
ARG_ATTRIBUTES = [  # (name fragment, attributes) for ArgMax/ArgMin, most specific first
    ("negative_axis_keepdims", {"axis": -1, "keepdims": 1}),
    ("no_keepdims", {"axis": 1, "keepdims": 0}),
    ("default_axis", {}),
    ("keepdims", {"axis": 1, "keepdims": 1}),
]

tests = json.load(open(sys.argv[1]))["tests"]
cases = []
for name, test in sorted(tests.items()):
    if len(test["ops"]) != 1:
        continue
    op = test["ops"][0]
    opset = test["opset"].get("ai.onnx", 0)
    attributes = ATTRIBUTES.get(name)
    if op in ("ArgMax", "ArgMin"):
        attributes = next(a for fragment, a in ARG_ATTRIBUTES if fragment in name)
    if op == "Attention":
        if opset != 23 or len(test["inputs"][0]["dims"]) != 4:
            continue
        attributes = {}
    if op == "Gemm" and attributes is None:
        attributes = {}
    if op not in UNARY + BINARY and attributes is None:
        continue
    names = POSITIONS.get(op)
    out_names = OUTPUT_POSITIONS.get(op)

    def index(tensor, i, table):
        return table.index(tensor["name"]) if table else i

    cases.append({
        "name": name, "op": op, "opset": opset, "attributes": attributes or {},
        "inputs": [{"index": index(t, i, names), "dims": t["dims"], "type": t["type"]} for i, t in enumerate(test["inputs"])],
        "outputs": [{"index": index(t, i, out_names), "dims": t["dims"], "type": t["type"]} for i, t in enumerate(test["outputs"])],
    })
source = "onnx 1.23.2 backend node tests via /work/shared/reference/onnx-node-tests/expected.json; see extract_math.py"
print('{"source": %s, "cases": [' % json.dumps(source))
print(",\n".join(json.dumps(case, separators=(",", ":")) for case in cases))
print("]}")
