#!/usr/bin/env python3
"""Regenerates geometry-ops.json: the single-node ONNX backend node tests of the convolution,
pooling and normalisation families, with each test's node attributes, opset, input dims and
expected output dims.

Dims come from /work/shared/reference/onnx-node-tests/expected.json; attributes are decoded from
models/NAME/model.onnx with the minimal protobuf reader below (ModelProto.graph = 7,
GraphProto.node = 1, NodeProto.op_type = 4 / attribute = 5, AttributeProto name = 1, f = 2,
i = 3, s = 4, ints = 8), so the onnx package is not needed.

Usage: python3 extract_geometry.py [/path/to/onnx-node-tests] > geometry-ops.json
"""
import json, re, struct, sys

BASE = (sys.argv[1] if len(sys.argv) > 1 else '/work/shared/reference/onnx-node-tests').rstrip('/') + '/'
NAMES = re.compile(r'^test_(maxpool|averagepool|lppool|globa|convtranspose|conv_with|basic_conv|batchnorm|'
                   r'instancenorm|layer_norm|group_norm|rms_norm|lrn|mvn|roialign|maxroi)')
OPS = {'MaxPool', 'AveragePool', 'LpPool', 'GlobalAveragePool', 'GlobalMaxPool', 'Conv', 'ConvTranspose',
       'BatchNormalization', 'InstanceNormalization', 'LayerNormalization', 'GroupNormalization',
       'RMSNormalization', 'LRN', 'MeanVarianceNormalization', 'RoiAlign', 'MaxRoiPool'}


def varint(b, i):
    result = shift = 0
    while True:
        c = b[i]; i += 1
        result |= (c & 0x7f) << shift; shift += 7
        if c < 0x80:
            return result, i


def fields(b):
    i, out = 0, []
    while i < len(b):
        key, i = varint(b, i)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, i = varint(b, i)
        elif wire == 1:
            value = b[i:i + 8]; i += 8
        elif wire == 5:
            value = b[i:i + 4]; i += 4
        elif wire == 2:
            n, i = varint(b, i); value = b[i:i + n]; i += n
        else:
            raise ValueError(f'wire type {wire}')
        out.append((number, wire, value))
    return out


def signed(v):
    return v - (1 << 64) if v >= 1 << 63 else v


def node_attributes(node):
    op, attributes = None, {}
    for number, _, value in fields(node):
        if number == 4:
            op = value.decode()
        if number == 5:
            name, scalar, ints = None, None, []
            for a_number, a_wire, a_value in fields(value):
                if a_number == 1: name = a_value.decode()
                elif a_number == 2: scalar = struct.unpack('<f', a_value)[0]
                elif a_number == 3: scalar = signed(a_value)
                elif a_number == 4: scalar = a_value.decode()
                elif a_number == 8:
                    if a_wire == 0:
                        ints.append(signed(a_value))
                    else:
                        j = 0
                        while j < len(a_value):
                            x, j = varint(a_value, j); ints.append(signed(x))
            attributes[name] = ints if ints else scalar
    return op, attributes


tests = json.load(open(BASE + 'expected.json'))['tests']
rows = {}
for name, test in sorted(tests.items()):
    if not NAMES.search(name) or 'expanded' in name:
        continue
    model = open(BASE + 'models/' + name + '/model.onnx', 'rb').read()
    graph = [v for n, _, v in fields(model) if n == 7][0]
    nodes = [v for n, _, v in fields(graph) if n == 1]
    if len(nodes) != 1:
        continue
    op, attributes = node_attributes(nodes[0])
    if op not in OPS:
        continue
    rows[name[len('test_'):]] = {
        'attributes': attributes, 'inputs': [i['dims'] for i in test['inputs']], 'op': op,
        'opset': test['opset'].get('ai.onnx'), 'outputs': [o['dims'] for o in test['outputs']]}
print('{\n' + ',\n'.join('  ' + json.dumps(k) + ': ' + json.dumps(v, sort_keys=True) for k, v in rows.items()) + '\n}')
