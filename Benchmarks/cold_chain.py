#!/usr/bin/env python3
"""The floor of a cold ONNX structure read: the chain of initializer headers, replayed.

Run by hand (Python 3 only, no packages), on a machine whose page cache may be dropped for the
file:

    Benchmarks/cold_chain.py MODEL.onnx [RUNS]

An ONNX file stores its initializers one after another; where each one's header starts is known
only once the header before it has been read, so on a cold page cache a structure reader waits
for the disk once per header it cannot predict (docs/onnx-import.md). This script finds the
headers' offsets itself (it walks the protobuf), evicts the file from the page cache
(`posix_fadvise(DONTNEED)`), and reads one 4 KiB page at each header in file order:

- `none`: nothing read ahead, every header waited for;
- `oracle N`: before each read, the kernel is asked (`posix_fadvise(WILLNEED)`) for the page of
  the header N places ahead, the true one (for the first read, of all N): the best any
  predictor could do with that many reads in flight.

It prints, per mode, the best and median time of the whole chain over RUNS (default 5) runs,
with how many reads waited (took over 20 µs). The oracle's time is what a cold run must spend on
the chain however well the reader guesses; the README's Speed section quotes it.
"""
import mmap
import os
import statistics
import sys
import time


def varint(data, offset):
    value, shift = 0, 0
    while True:
        byte = data[offset]
        offset += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, offset


def fields(data, start, end):
    """(field number, field start, value start, value end) of each length-delimited field in
    data[start:end]."""
    offset = start
    while offset < end:
        field_start = offset
        key, offset = varint(data, offset)
        number, wire = key >> 3, key & 7
        if wire == 2:
            length, offset = varint(data, offset)
            yield number, field_start, offset, offset + length
            offset += length
        elif wire == 0:
            _, offset = varint(data, offset)
        elif wire == 5:
            offset += 4
        elif wire == 1:
            offset += 8
        else:
            raise ValueError(f"wire type {wire} at byte {offset}")


def header_offsets(path):
    """Where each initializer record of the main graph starts (ModelProto.graph.initializer)."""
    with open(path, "rb") as file, mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) as data:
        for number, _, start, end in fields(data, 0, len(data)):
            if number == 7:
                return [field_start for n, field_start, _, _ in fields(data, start, end) if n == 5]
    return []


def replay(path, offsets, ahead):
    page = 4096
    fd = os.open(path, os.O_RDONLY)
    try:
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_RANDOM)
        waits = 0
        started = time.perf_counter()
        for index, offset in enumerate(offsets):
            if ahead:
                targets = range(index + 1, index + 1 + ahead) if index == 0 else [index + ahead]
                for target in targets:
                    if target < len(offsets):
                        os.posix_fadvise(fd, offsets[target] // page * page, page, os.POSIX_FADV_WILLNEED)
            before = time.perf_counter()
            os.pread(fd, page, offset // page * page)
            if time.perf_counter() - before > 20e-6:
                waits += 1
        return time.perf_counter() - started, waits
    finally:
        os.close(fd)


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        sys.exit(64)
    path = sys.argv[1]
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    offsets = header_offsets(path)
    print(f"{os.path.basename(path)}: {len(offsets)} initializer headers")
    for ahead in (0, 1, 2, 3, 5):
        results = [replay(path, offsets, ahead) for _ in range(runs)]
        times = sorted(r[0] * 1e3 for r in results)
        waits = statistics.median(r[1] for r in results)
        mode = "none    " if ahead == 0 else f"oracle {ahead}"
        print(f"  {mode}  best {times[0]:.2f} ms  median {statistics.median(times):.2f} ms  waits {waits:.0f}")


if __name__ == "__main__":
    main()
