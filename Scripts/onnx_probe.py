"""What onnxruntime observes: shared by the fixture scripts (onnx-corpus/make_corpus.py,
make_onnx_contrib_fixtures.py)."""

import numpy as np
import onnx
import onnxruntime as ort


def observed_shapes(model, feeds):
    """Runs `model` (graph optimisations off, so no node is fused away) with every node output
    exposed as a graph output; returns {tensor: dims} for each tensor value onnxruntime made."""
    probe = onnx.ModelProto()
    probe.CopyFrom(model)
    declared = {o.name for o in probe.graph.output}
    for node in probe.graph.node:
        for name in node.output:
            if name and name not in declared:
                probe.graph.output.append(onnx.ValueInfoProto(name=name))
                declared.add(name)
    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    session = ort.InferenceSession(probe.SerializeToString(), options, providers=["CPUExecutionProvider"])
    names = [o.name for o in session.get_outputs()]
    values = session.run(names, feeds)
    return {n: list(np.asarray(v).shape) for n, v in zip(names, values) if isinstance(v, np.ndarray)}
