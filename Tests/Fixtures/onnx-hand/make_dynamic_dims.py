"""Writes dynamic_dims.onnx: one Conv (3->4 channels, 3x3, no padding, weight with dims only)
on input `images.1` declared -1 x 3 x -1 x (no value), as exporters write dynamic axes.
Protobuf written by hand with onnx.proto's field numbers; no onnx package needed."""


def varint(value):
    value &= (1 << 64) - 1
    out = bytearray()
    while True:
        low = value & 0x7F
        value >>= 7
        out.append(low | (0x80 if value else 0))
        if not value:
            return bytes(out)


def field_int(number, value):
    return varint(number << 3) + varint(value)


def field_bytes(number, payload):
    if isinstance(payload, str):
        payload = payload.encode()
    return varint(number << 3 | 2) + varint(len(payload)) + payload


def value_info(name, dims):
    shape = b"".join(field_bytes(1, b"" if d is None else field_int(1, d)) for d in dims)
    tensor_type = field_int(1, 1) + field_bytes(2, shape)  # elem_type FLOAT, shape
    return field_bytes(1, name) + field_bytes(2, field_bytes(1, tensor_type))


node = field_bytes(1, "images.1") + field_bytes(1, "w") + field_bytes(2, "y") + field_bytes(3, "conv")
node += field_bytes(4, "Conv")
weight = b"".join(field_int(1, d) for d in [4, 3, 3, 3]) + field_int(2, 1) + field_bytes(8, "w")
graph = field_bytes(1, node) + field_bytes(2, "dynamic") + field_bytes(5, weight)
graph += field_bytes(11, value_info("images.1", [-1, 3, -1, None]))
graph += field_bytes(12, value_info("y", [-1, 4, -1, None]))
opset = field_bytes(1, "") + field_int(2, 17)
model = field_int(1, 8) + field_bytes(2, "hand") + field_bytes(7, graph) + field_bytes(8, opset)
with open(__file__.replace("make_dynamic_dims.py", "dynamic_dims.onnx"), "wb") as f:
    f.write(model)
