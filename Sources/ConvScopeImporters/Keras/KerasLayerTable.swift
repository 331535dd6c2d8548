import ConvScopeCore

/// Translates one Keras layer call into graph nodes; returns the output tensors.
typealias KerasLayerMapping = @Sendable (inout KerasLayerContext) throws(ConvScopeError) -> [String]

/// Every Keras layer class ConvScope reads, and the ONNX ops it becomes.
///
/// | Keras | ONNX |
/// |---|---|
/// | Conv1D/2D/3D | Conv (`padding="same"` → `auto_pad=SAME_UPPER`, `"causal"` → left pads) |
/// | DepthwiseConv1D/2D | Conv with `group = channels` |
/// | SeparableConv1D/2D | Conv (depthwise) + Conv (1x1) |
/// | Conv1D/2D/3DTranspose | ConvTranspose |
/// | Dense | Gemm (rank 2); MatMul + Add (higher ranks, in Keras' axis order) |
/// | Max/AveragePooling1D/2D/3D | MaxPool / AveragePool |
/// | GlobalMax/AveragePooling1D/2D/3D | GlobalMaxPool / GlobalAveragePool (+ Flatten unless `keepdims`) |
/// | BatchNormalization | BatchNormalization (moving mean/variance are statistics) |
/// | LayerNormalization, GroupNormalization | LayerNormalization, GroupNormalization |
/// | Activation, ReLU, LeakyReLU, PReLU, ELU, Softmax, ThresholdedReLU | the activation's op (see ``KerasActivations``) |
/// | Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate | Add/Sum, Sub, Mul, Mean, Max, Min, Concat |
/// | Keras 3 operations `Add`, `Subtract`, `Multiply`, `Divide`, `TrueDivide` (a tensor and a number) | Add, Sub, Mul, Div with a scalar constant |
/// | TFOpLambda (tf.keras) for `__operators__.add`, `math.add/multiply/subtract/truediv/divide` | Add, Mul, Sub, Div |
/// | LayerScale (ConvNeXt), CustomScaleLayer (InceptionResNetV2) | Mul by `gamma`; Add(x, Mul(r, scale)) |
/// | Flatten, Reshape, Permute | Flatten, Reshape, Transpose |
/// | Dropout family, GaussianNoise, Identity | Dropout / Identity |
/// | ZeroPadding1D/2D/3D, Cropping1D/2D/3D | Pad, Slice |
/// | UpSampling1D/2D/3D, Resizing | Resize |
/// | Rescaling, Normalization | Mul + Add, Sub + Div |
/// | Embedding | Gather |
/// | MultiHeadAttention | MatMul/Add projections, Reshape/Transpose per head, MatMul, Softmax |
enum KerasLayerTable {
  static let mappings: [String: KerasLayerMapping] = [
    "Conv1D": KerasConvolutionLayers.convolution,
    "Conv2D": KerasConvolutionLayers.convolution,
    "Conv3D": KerasConvolutionLayers.convolution,
    "Convolution1D": KerasConvolutionLayers.convolution,
    "Convolution2D": KerasConvolutionLayers.convolution,
    "Convolution3D": KerasConvolutionLayers.convolution,
    "DepthwiseConv1D": KerasConvolutionLayers.depthwise,
    "DepthwiseConv2D": KerasConvolutionLayers.depthwise,
    "SeparableConv1D": KerasConvolutionLayers.separable,
    "SeparableConv2D": KerasConvolutionLayers.separable,
    "Conv1DTranspose": KerasConvolutionLayers.transposed,
    "Conv2DTranspose": KerasConvolutionLayers.transposed,
    "Conv3DTranspose": KerasConvolutionLayers.transposed,
    "Dense": KerasConvolutionLayers.dense,

    "MaxPooling1D": KerasSpatialLayers.maxPool,
    "MaxPooling2D": KerasSpatialLayers.maxPool,
    "MaxPooling3D": KerasSpatialLayers.maxPool,
    "AveragePooling1D": KerasSpatialLayers.averagePool,
    "AveragePooling2D": KerasSpatialLayers.averagePool,
    "AveragePooling3D": KerasSpatialLayers.averagePool,
    "GlobalMaxPooling1D": KerasSpatialLayers.globalMaxPool,
    "GlobalMaxPooling2D": KerasSpatialLayers.globalMaxPool,
    "GlobalMaxPooling3D": KerasSpatialLayers.globalMaxPool,
    "GlobalAveragePooling1D": KerasSpatialLayers.globalAveragePool,
    "GlobalAveragePooling2D": KerasSpatialLayers.globalAveragePool,
    "GlobalAveragePooling3D": KerasSpatialLayers.globalAveragePool,
    "ZeroPadding1D": KerasSpatialLayers.zeroPadding,
    "ZeroPadding2D": KerasSpatialLayers.zeroPadding,
    "ZeroPadding3D": KerasSpatialLayers.zeroPadding,
    "Cropping1D": KerasSpatialLayers.cropping,
    "Cropping2D": KerasSpatialLayers.cropping,
    "Cropping3D": KerasSpatialLayers.cropping,
    "UpSampling1D": KerasSpatialLayers.upSampling,
    "UpSampling2D": KerasSpatialLayers.upSampling,
    "UpSampling3D": KerasSpatialLayers.upSampling,
    "Resizing": KerasSpatialLayers.resizing,

    "BatchNormalization": KerasNormalizationLayers.batchNormalization,
    "LayerNormalization": KerasNormalizationLayers.layerNormalization,
    "GroupNormalization": KerasNormalizationLayers.groupNormalization,
    "Rescaling": KerasNormalizationLayers.rescaling,
    "Normalization": KerasNormalizationLayers.normalization,

    "Activation": KerasActivations.activationLayer,
    "ReLU": KerasActivations.relu,
    "LeakyReLU": KerasActivations.leakyRelu,
    "PReLU": KerasActivations.prelu,
    "ELU": KerasActivations.elu,
    "Softmax": KerasActivations.softmax,
    "ThresholdedReLU": KerasActivations.thresholdedRelu,

    "Add": KerasStructureLayers.merge("Add"),
    "Subtract": KerasStructureLayers.merge("Sub"),
    "Multiply": KerasStructureLayers.merge("Mul"),
    "Divide": KerasStructureLayers.merge("Div"),
    "TrueDivide": KerasStructureLayers.merge("Div"),
    "Average": KerasStructureLayers.merge("Mean"),
    "Maximum": KerasStructureLayers.merge("Max"),
    "Minimum": KerasStructureLayers.merge("Min"),
    "Concatenate": KerasStructureLayers.concatenate,
    "Flatten": KerasStructureLayers.flatten,
    "Reshape": KerasStructureLayers.reshape,
    "Permute": KerasStructureLayers.permute,
    "Dropout": KerasStructureLayers.passThrough("Dropout"),
    "SpatialDropout1D": KerasStructureLayers.passThrough("Dropout"),
    "SpatialDropout2D": KerasStructureLayers.passThrough("Dropout"),
    "SpatialDropout3D": KerasStructureLayers.passThrough("Dropout"),
    "AlphaDropout": KerasStructureLayers.passThrough("Dropout"),
    "GaussianDropout": KerasStructureLayers.passThrough("Dropout"),
    "GaussianNoise": KerasStructureLayers.passThrough("Identity"),
    "ActivityRegularization": KerasStructureLayers.passThrough("Identity"),
    "Identity": KerasStructureLayers.passThrough("Identity"),
    "Embedding": KerasStructureLayers.embedding,

    "MultiHeadAttention": KerasAttention.multiHeadAttention,

    "LayerScale": KerasNormalizationLayers.layerScale,
    "CustomScaleLayer": KerasNormalizationLayers.customScale,
    "TFOpLambda": KerasStructureLayers.operatorLambda,
  ]
}
