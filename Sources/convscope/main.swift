import ConvScope
print("convscope")
