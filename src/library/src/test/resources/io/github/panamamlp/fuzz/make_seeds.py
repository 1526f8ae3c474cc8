#!/usr/bin/env python3
"""Writes the seed inputs of the fuzz tests in this package (the files named good-* and bad-*).

Each fuzz test method reads its inputs from <TestClass>Inputs/<method>/ next to this script: in the normal
test suite Jazzer runs the method once per file there, and `make fuzz` starts the fuzzer from them.
FuzzSeedsTest checks that every good-* seed is accepted and every bad-* (and found-*) one rejected.
Inputs the fuzzer found are committed by hand as found-<what>, next to these; this script does not touch them.

The files are made independently of the Java code under test: IDX, gzip, PNG and PGM byte by byte, the
.npz model files with numpy's own np.savez / np.savez_compressed. Deterministic: running it again gives the
same bytes (gzip headers carry no time stamp, zip entries a fixed date).

    python3 src/test/resources/io/github/panamamlp/fuzz/make_seeds.py
"""
import gzip
import io
import json
import os
import struct
import zipfile
import zlib
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
RNG = np.random.default_rng(20240601)


def write(test, method, name, data):
    d = HERE / f"{test}Inputs" / method
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_bytes(data)


def gz(data):
    return gzip.compress(data, mtime=0)


# ------------------------------------------------------------------------------------------------- IDX

def idx(magic, *dims):
    return struct.pack(">I", magic) + b"".join(struct.pack(">I", d) for d in dims)


def idx_seeds():
    t = "IdxReaderFuzzTest"
    pixels = bytes(RNG.integers(0, 256, 3 * 4 * 5, dtype=np.uint8))
    images_3x4x5 = idx(0x803, 3, 4, 5) + pixels
    digit = np.zeros((28, 28), np.uint8)
    digit[6:22, 12:16] = 255  # a "1"
    images_1x28x28 = idx(0x803, 1, 28, 28) + digit.tobytes()
    labels_10 = idx(0x801, 10) + bytes(range(10))

    images = {
        "good-3x4x5": images_3x4x5,
        "good-1x28x28": images_1x28x28,
        "good-3x4x5.gz": gz(images_3x4x5),
        "good-two-gzip-members.gz": gz(images_3x4x5[:20]) + gz(images_3x4x5[20:]),
        "bad-empty": b"",
        "bad-label-file": labels_10,
        "bad-magic-int-type": idx(0xC03, 1, 2, 2) + b"\0" * 4,
        "bad-dimensions-4": idx(0x804, 1, 2, 2, 1) + b"\0" * 4,
        "bad-count-0": idx(0x803, 0, 4, 5),
        "bad-rows-0": idx(0x803, 1, 0, 5),
        "bad-cols-4097": idx(0x803, 1, 1, 4097) + b"\0" * 4097,
        "bad-count-uint32-max": idx(0x803, 0xFFFFFFFF, 1, 1) + b"\0",
        "bad-payload-over-2gb": idx(0x803, 0x10000000, 28, 28) + b"\0" * 16,
        "bad-header-promises-more-than-file": idx(0x803, 60000, 28, 28) + b"\0" * 100,
        "bad-trailing-bytes": images_3x4x5 + b"\0",
        "bad-truncated-header": images_3x4x5[:10],
        "bad-truncated-payload": images_3x4x5[:-1],
        "bad-gzip-lying-header.gz": gz(idx(0x803, 60000, 28, 28) + b"\0" * 100),
        "bad-gzip-truncated-stream.gz": gz(images_3x4x5)[:-12],
        "bad-gzip-crc.gz": gz(images_3x4x5)[:-8] + b"\0\0\0\0" + gz(images_3x4x5)[-4:],
        # The JDK's GZIPInputStream, like gunzip, ignores what follows a complete gzip member when it is
        # not another member: the payload read is still exact and checked by the member's CRC.
        "good-gzip-garbage-after-member-ignored.gz": gz(images_3x4x5) + b"garbage!",
        "bad-gzip-only-magic.gz": b"\x1f\x8b",
        "bad-gzip-trailing-content.gz": gz(images_3x4x5 + b"\1\2\3"),
    }
    for name, data in images.items():
        write(t, "images", name, data)

    labels = {
        "good-10": labels_10,
        "good-10.gz": gz(labels_10),
        "good-1": idx(0x801, 1) + b"\x09",
        "bad-empty": b"",
        "bad-image-file": images_3x4x5,
        "bad-label-10": idx(0x801, 3) + b"\x01\x0a\x02",
        "bad-label-255.gz": gz(idx(0x801, 2) + b"\x00\xff"),
        "bad-count-0": idx(0x801, 0),
        "bad-count-uint32-max": idx(0x801, 0xFFFFFFFF) + b"\0",
        "bad-header-promises-more-than-file": idx(0x801, 60000) + b"\0" * 10,
        "bad-gzip-lying-header.gz": gz(idx(0x801, 0x7FFFFFF0) + b"\0" * 10),
        "bad-trailing-bytes": labels_10 + b"\0",
        "bad-truncated-header": labels_10[:6],
    }
    for name, data in labels.items():
        write(t, "labels", name, data)

    # The …Gzip targets gzip their input themselves: these are uncompressed contents.
    for method, table in (("imagesGzip", images), ("labelsGzip", labels)):
        for name, data in table.items():
            if not name.endswith(".gz"):
                write(t, method, name, data)


# ------------------------------------------------------------------------------------------------- npz

def model_json(input_size, layers, **extra):
    d = {"format": "panama-mlp", "version": 1, "input": input_size,
         "layers": [{"type": "dense", "units": u, "activation": a} for u, a in layers]}
    d.update(extra)
    return json.dumps(d)


def params(input_size, layers, dtype=np.float64):
    out = {}
    n = input_size
    for i, (u, _) in enumerate(layers, 1):
        out[f"W{i}"] = RNG.standard_normal((n, u)).astype(dtype)
        out[f"b{i}"] = RNG.standard_normal(u).astype(dtype)
        n = u
    return out


def savez(arrays, compressed=False, order=None):
    """np.savez into bytes, with entries in the given order and a fixed date (so the bytes are reproducible)."""
    buf = io.BytesIO()
    method = zipfile.ZIP_DEFLATED if compressed else zipfile.ZIP_STORED
    with zipfile.ZipFile(buf, "w", compression=method) as z:
        for name in (order or arrays):
            info = zipfile.ZipInfo(name + ".npy", date_time=(1980, 1, 2, 0, 0, 0))
            info.compress_type = method
            b = io.BytesIO()
            np.lib.format.write_array(b, np.asanyarray(arrays[name]), allow_pickle=False)
            z.writestr(info, b.getvalue())
    return buf.getvalue()


def raw_zip(entries, compressed=False):
    """A zip of raw (name, bytes) entries, duplicates allowed."""
    buf = io.BytesIO()
    method = zipfile.ZIP_DEFLATED if compressed else zipfile.ZIP_STORED
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate names are the point of some seeds
        with zipfile.ZipFile(buf, "w", compression=method) as z:
            for name, data in entries:
                info = zipfile.ZipInfo(name, date_time=(1980, 1, 2, 0, 0, 0))
                info.compress_type = method
                z.writestr(info, data)
    return buf.getvalue()


def npy(array):
    b = io.BytesIO()
    np.lib.format.write_array(b, np.asanyarray(array), allow_pickle=False)
    return b.getvalue()


def npy_raw(header_dict, payload, version=(1, 0)):
    """An NPY entry with a hand-written header dictionary (may lie about the payload)."""
    h = header_dict.encode("latin1")
    length_bytes = 2 if version[0] == 1 else 4
    pre = 6 + 2 + length_bytes
    pad = (64 - (pre + len(h) + 1) % 64) % 64
    h = h + b" " * pad + b"\n"
    length = struct.pack("<H" if length_bytes == 2 else "<I", len(h))
    return b"\x93NUMPY" + bytes(version) + length + h + payload


def entries_spec(entries):
    """The npzEntries target's input format: flags, name length, name, data length (u16 LE), data."""
    out = b""
    for name, data, deflated in entries:
        n = name.encode("latin1")
        assert len(n) < 256 and len(data) < 65536
        out += bytes([1 if deflated else 0, len(n)]) + n + struct.pack("<H", len(data)) + data
    return out


def npz_seeds():
    t = "ModelFileFuzzTest"
    layers = [(3, "sigmoid"), (2, "softmax")]
    js = model_json(4, layers)
    p = params(4, layers)
    good = {"model_json": np.array(js), **p}
    order = ["model_json", "W1", "b1", "W2", "b2"]

    files = {
        "good-savez.npz": savez(good, order=order),
        "good-savez-compressed.npz": savez(good, compressed=True, order=order),
        "good-json-last.npz": savez(good, order=["W1", "b1", "W2", "b2", "model_json"]),
        "good-float32.npz": savez({"model_json": np.array(js), **params(4, layers, np.float32)}),
        "good-big-endian.npz": savez({k: (v.astype(">f8") if k != "model_json" else v) for k, v in good.items()}),
        "good-fortran-order.npz": savez({k: (np.asfortranarray(v) if k.startswith("W") else v)
                                         for k, v in good.items()}),
        "good-json-as-utf8-bytes.npz": savez({**good, "model_json": np.array(js.encode())}),
        "good-three-layers-relu.npz": savez({"model_json": np.array(model_json(
            2, [(4, "relu"), (3, "sigmoid"), (2, "softmax")])), **params(2, [(4, "relu"), (3, "sigmoid"), (2, "softmax")])}),
        "good-no-optional-fields.npz": savez({**good, "model_json": np.array(json.dumps(
            {"input": 4, "layers": [{"units": 3, "activation": "sigmoid"}, {"units": 2, "activation": "softmax"}]}))}),
        "bad-empty.npz": b"",
        "bad-not-a-zip.npz": b"this is not a zip file\n",
        "bad-truncated-zip.npz": savez(good, order=order)[:700],
        "bad-no-json.npz": savez(p),
        "bad-json-syntax.npz": savez({**good, "model_json": np.array(js[:-1])}),
        "bad-json-not-object.npz": savez({**good, "model_json": np.array("[1, 2]")}),
        "bad-format-other.npz": savez({**good, "model_json": np.array(model_json(4, layers) .replace("panama-mlp", "keras"))}),
        "bad-version-3.npz": savez({**good, "model_json": np.array(js.replace('"version": 1', '"version": 3'))}),
        "bad-last-not-softmax.npz": savez({**good, "model_json": np.array(model_json(4, [(3, "sigmoid"), (2, "relu")]))}),
        "bad-unknown-activation.npz": savez({**good, "model_json": np.array(model_json(4, [(3, "tanh"), (2, "softmax")]))}),
        "bad-units-0.npz": savez({**good, "model_json": np.array(model_json(4, [(0, "sigmoid"), (2, "softmax")]))}),
        "bad-missing-W2.npz": savez({k: v for k, v in good.items() if k != "W2"}),
        "bad-extra-array.npz": savez({**good, "W3": np.zeros((2, 2))}),
        "bad-shape-mismatch.npz": savez({**good, "W1": np.zeros((3, 4))}),
        "bad-nan.npz": savez({**good, "b1": np.array([0.0, np.nan, 1.0])}),
        "bad-infinity.npz": savez({**good, "W2": np.full((3, 2), np.inf)}),
        "bad-int64.npz": savez({**good, "b2": np.array([1, 2], dtype=np.int64)}),
        "bad-3d.npz": savez({**good, "W1": np.zeros((4, 3, 1))}),
        "bad-two-json-entries.npz": savez({**good, "other_json": np.array("{}")}),
        "bad-model-needs-more-than-the-arrays.npz": savez({"model_json": np.array(model_json(
            100000, [(2000, "sigmoid"), (10, "softmax")])), **p}),
    }
    # Version 2: the standardization (mean.npy, std.npy) and the class and feature names.
    js2 = model_json(4, layers, version=2, classes=["cat", "dog"], features=["a", "b", "c", "d"])
    stats = {"mean": np.array([0.5, -1.0, 2.0, 0.0]), "std": np.array([1.0, 0.25, 3.0, 1e-3])}
    v2 = {**good, "model_json": np.array(js2), **stats}
    files.update({
        "good-v2-standardized-named.npz": savez(v2),
        "good-v2-classes-only.npz": savez({**good, "model_json": np.array(model_json(4, layers, version=2, classes=["no", "yes"]))}),
        "bad-v2-classes-count.npz": savez({**v2, "model_json": np.array(js2.replace('["cat", "dog"]', '["cat", "dog", "eel"]'))}),
        "bad-v2-classes-twice.npz": savez({**v2, "model_json": np.array(js2.replace('["cat", "dog"]', '["cat", "cat"]'))}),
        "bad-v2-classes-not-text.npz": savez({**v2, "model_json": np.array(js2.replace('["cat", "dog"]', '["cat", 7]'))}),
        "bad-v2-features-count.npz": savez({**v2, "model_json": np.array(js2.replace('["a", "b", "c", "d"]', '["a"]'))}),
        "bad-v2-std-zero.npz": savez({**v2, "std": np.array([1.0, 0.0, 1.0, 1.0])}),
        "bad-v2-std-nan.npz": savez({**v2, "std": np.array([1.0, np.nan, 1.0, 1.0])}),
        "bad-v2-mean-without-std.npz": savez({k: v for k, v in v2.items() if k != "std"}),
        "bad-v2-mean-shape.npz": savez({**v2, "mean": np.zeros(3)}),
    })
    good_stored = savez(good, order=order)
    # One flipped byte in the last array's data: only the CRC can tell.
    corrupt = bytearray(good_stored)
    at = good_stored.rfind(b"\x93NUMPY") + 128 + 3
    corrupt[at] ^= 0x40
    files["bad-crc.npz"] = bytes(corrupt)
    files["bad-duplicate-entry.npz"] = raw_zip([("W1.npy", npy(p["W1"])), ("W1.npy", npy(p["W1"]))])
    files["bad-directory-entry.npz"] = raw_zip([("model_json.npy", npy(np.array(js))), ("W1/", b"")])
    files["bad-not-npy-entry.npz"] = raw_zip([("model.json", js.encode())])
    files["bad-path-entry-name.npz"] = raw_zip([("../W1.npy", npy(p["W1"]))])
    files["bad-huge-shape-tiny-payload.npz"] = raw_zip(
        [("W1.npy", npy_raw("{'descr': '<f8', 'fortran_order': False, 'shape': (100000, 100000), }", b"\0" * 8))])
    files["bad-shape-at-limit-tiny-payload.npz"] = raw_zip(
        [("W1.npy", npy_raw("{'descr': '<f8', 'fortran_order': False, 'shape': (50000000,), }", b"\0" * 8))], True)
    files["bad-text-length-beyond-limit.npz"] = raw_zip(
        [("model_json.npy", npy_raw("{'descr': '<U999999999', 'fortran_order': False, 'shape': (), }", b"\0" * 8))])
    files["bad-header-length-beyond-limit.npz"] = raw_zip([("W1.npy", b"\x93NUMPY\x02\x00\xff\xff\xff\x7f{")])
    files["bad-npy-version-4.npz"] = raw_zip([("W1.npy", npy_raw("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", b"\0" * 8, (4, 0)))])
    files["bad-zip-bomb.npz"] = raw_zip(
        [("W1.npy", npy_raw("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", b"\0" * (8 << 20)))], True)
    for name, data in files.items():
        write(t, "npzFile", name, data)

    # npzEntries: the same kinds of content, as the target's entry list (it zips them itself with valid CRCs).
    def entries(arrays, deflated=False, order=None):
        return [(k + ".npy", npy(arrays[k]), deflated) for k in (order or arrays)]

    specs = {
        "good-model": entries(good, order=order),
        "good-model-deflated": entries(good, True, order=order),
        "good-float32": entries({"model_json": np.array(js), **params(4, layers, np.float32)}),
        "good-fortran-order": entries({k: (np.asfortranarray(v) if k.startswith("W") else v) for k, v in good.items()}),
        "good-json-as-utf8-bytes": entries({**good, "model_json": np.array(js.encode())}),
        "good-one-layer": entries({"model_json": np.array(model_json(1, [(1, "softmax")])), **params(1, [(1, "softmax")])}),
        "bad-npy-header-lies-about-payload": entries(good) + [
            ("W3.npy", npy_raw("{'descr': '<f8', 'fortran_order': False, 'shape': (3, 2), }", b"\0" * 40), False)],
        "bad-npy-v2-header": [("model_json.npy", npy(np.array(js)), False),
                              ("W1.npy", npy_raw("{'descr': '<f8', 'fortran_order': False, 'shape': (4, 3), }",
                                                 p["W1"].tobytes(), (2, 0)), False)],
        "bad-npy-v3-header-utf8": [("W1.npy", npy_raw("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), 'é': 1}",
                                                      b"\0" * 8, (3, 0)), False)],
        "bad-unicode-not-scalar": [("model_json.npy", npy_raw("{'descr': '<U2', 'fortran_order': False, 'shape': (), }",
                                                             struct.pack("<II", 0xD800, 0x41)), False)],
        "bad-json-bytes-not-utf8": [("model_json.npy", npy_raw("{'descr': '|S2', 'fortran_order': False, 'shape': (), }",
                                                              b"\xff\xfe"), False)],
        "bad-model-needs-more-than-the-arrays": entries(
            {"model_json": np.array(model_json(100000, [(2000, "sigmoid"), (10, "softmax")])), **p}),
        # An array name whose layer index does not fit an int (the check used Integer.parseInt).
        "bad-array-index-beyond-int": entries(good, order=order) + [("W99999999999.npy", npy(np.zeros(1)), False)],
        "bad-json-control-chars": entries({**good, "model_json": np.array(
            json.dumps({"format": "\u001b[31mred\nline", "input": 4, "layers": []}))}),
    }
    for name, es in specs.items():
        write(t, "npzEntries", name, entries_spec(es))


# ------------------------------------------------------------------------------------------------ JSON

def json_seeds():
    t = "JsonFuzzTest"
    texts = {
        "good-model": model_json(784, [(50, "sigmoid"), (10, "softmax")]),
        "good-values": '{"a": [1, -0, 0.5, -1.5e-300, 1E+308, 12345678901234567890, 9223372036854775807,'
                       ' -9223372036854775808], "b": [true, false, null], "c": {}, "d": [], "e": ""}',
        "good-string-escapes": '"\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u0000 \\u00e9 \\ud83d\\ude00 é 😀"',
        "good-whitespace": ' \t\r\n[ 1 , { "x" : null } ]\n ',
        "good-depth-64": "[" * 64 + "]" * 64,
        "good-number-only": "-0.0e-0",
        "bad-empty": "",
        "bad-depth-65": "[" * 65 + "]" * 65,
        "bad-depth-2000": "[" * 2000,
        "bad-trailing-comma": "[1, 2,]",
        "bad-trailing-text": "{} {}",
        "bad-leading-zero": "[01]",
        "bad-nan": "[NaN]",
        "bad-infinity": "[Infinity]",
        "bad-overflow": "[1e400]",
        "bad-unpaired-surrogate": '["\\ud800"]',
        "bad-low-surrogate-first": '["\\udc00\\ud800"]',
        "bad-duplicate-key": '{"a": 1, "a": 2}',
        "bad-duplicate-key-with-control-chars": '{"\\u001b[2J\\n": 1, "\\u001b[2J\\n": 2}',
        "bad-raw-control-char": '["a\tb"]',
        "bad-unterminated-string": '["abc',
        "bad-invalid-escape": '["\\x41"]',
        "bad-short-unicode-escape": '["\\u12"]',
        "bad-single-quotes": "{'a': 1}",
        "bad-unquoted-key": "{a: 1}",
        "bad-truncated-literal": "[tru",
        "bad-minus-alone": "[-]",
        "bad-dot-without-digits": "[1.]",
        "bad-exponent-without-digits": "[1e]",
    }
    for name, text in texts.items():
        write(t, "parse", name, text.encode("utf-8"))


# ----------------------------------------------------------------------------------------------- images

def png(width, height, color_type, bit_depth, raw_rows, palette=None, interlace=0, extra_chunks=()):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, interlace)
    out = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
    for kind, data in extra_chunks:
        out += chunk(kind, data)
    if palette is not None:
        out += chunk(b"PLTE", palette)
    out += chunk(b"IDAT", zlib.compress(raw_rows, 9)) + chunk(b"IEND", b"")
    return out


def rows(pixel_bytes_per_row, height, fill):
    return b"".join(b"\0" + bytes(fill(y, pixel_bytes_per_row)) for y in range(height))


def image_seeds():
    t = "GrayImageFuzzTest"
    ramp = lambda y, n: [(x * 9 + y * 3) & 0xFF for x in range(n)]
    digit = np.zeros((28, 28), np.uint8)
    digit[5:23, 10:18] = 200
    images = {
        "good-gray8.png": png(28, 28, 0, 8, rows(28, 28, ramp)),
        "good-gray16.png": png(28, 28, 0, 16, rows(56, 28, ramp)),
        "good-gray1.png": png(28, 28, 0, 1, rows(4, 28, lambda y, n: [0xAA] * n)),
        "good-rgb.png": png(28, 28, 2, 8, rows(84, 28, ramp)),
        "good-rgba.png": png(28, 28, 6, 8, rows(112, 28, ramp)),
        "good-gray-alpha.png": png(28, 28, 4, 8, rows(56, 28, ramp)),
        "good-palette.png": png(28, 28, 3, 8, rows(28, 28, lambda y, n: [x % 4 for x in range(n)]),
                                palette=bytes([0, 0, 0, 255, 255, 255, 255, 0, 0, 0, 0, 255])),
        "good-text-chunks.png": png(28, 28, 0, 8, rows(28, 28, ramp), extra_chunks=[
            (b"tEXt", b"Comment\0a digit"), (b"zTXt", b"Title\0\0" + zlib.compress(b"zipped text"))]),
        "good-digit.pgm": b"P5\n# a comment\n28 28\n255\n" + digit.tobytes(),
        "good-maxval-15.pgm": b"P5 28 28 15 " + bytes(x % 16 for x in range(784)),
        "bad-empty": b"",
        "bad-27-wide.png": png(27, 28, 0, 8, rows(27, 28, ramp)),
        "bad-huge-declared-size.png": png(100000, 100000, 0, 8, b"\0"),
        "bad-truncated.png": png(28, 28, 0, 8, rows(28, 28, ramp))[:60],
        "bad-idat-too-short.png": png(28, 28, 0, 8, rows(28, 10, ramp)),
        "bad-bad-filter-type.png": png(28, 28, 0, 8, b"".join(b"\x09" + bytes(28) for _ in range(28))),
        # Text chunks are metadata, which the reader skips: the bomb is never inflated.
        "good-zip-bomb-in-ztxt-skipped.png": png(28, 28, 0, 8, rows(28, 28, ramp), extra_chunks=[
            (b"zTXt", b"Bomb\0\0" + zlib.compress(b"A" * (16 << 20), 9))]),
        "bad-ascii-pgm.pgm": b"P2\n28 28\n255\n0 0 0\n",
        "bad-ppm.ppm": b"P6\n28 28\n255\n" + bytes(3 * 784),
        "bad-maxval-65535.pgm": b"P5\n28 28\n65535\n" + bytes(2 * 784),
        "bad-maxval-0.pgm": b"P5\n28 28\n0\n" + bytes(784),
        "bad-pixel-over-maxval.pgm": b"P5\n28 28\n100\n" + bytes([101]) * 784,
        "bad-truncated.pgm": b"P5\n28 28\n255\n" + bytes(700),
        "bad-trailing.pgm": b"P5\n28 28\n255\n" + bytes(785),
        "bad-ten-digit-width.pgm": b"P5\n1234567890 28\n255\n",
        "bad-header-ends.pgm": b"P5\n28",
        "bad-not-an-image.txt": b"hello, world\n",
    }
    # An Adam7-interlaced 28x28 gray image: the reader must de-interlace it.
    passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
    data = b""
    for x0, y0, dx, dy in passes:
        xs = range(x0, 28, dx)
        ys = range(y0, 28, dy)
        for y in ys:
            data += b"\0" + bytes(digit[y, x] for x in xs)
    images["good-interlaced.png"] = png(28, 28, 0, 8, data, interlace=1)
    for name, data in images.items():
        write(t, "read", name, data)


# -------------------------------------------------------------------------------------------------- CSV

def csv_seeds():
    """CsvFuzzTest#read reads each file with ArrayDataset.readCsv(file, 0): the first column holds the labels."""
    t = "CsvFuzzTest"
    files = {
        "good-integer-labels.csv": b"label,a,b\n0,1.5,-2\n2,3e-1,4\n1,5,6\n",
        "good-text-labels-crlf.csv": b"species,sepal,petal\r\nsetosa,5.1,1.4\r\nvirginica,6.3,6.0\r\nsetosa,4.9,1.4\r\n",
        "good-quoted.csv": b'\xef\xbb\xbf"class, name","say ""hi"""\n"a\nb",1\n"c",  2 \n\n',
        "good-no-final-newline.csv": b"y,x\n1,2",
        "bad-empty": b"",
        "bad-header-only.csv": b"label,a\n",
        "bad-na.csv": b"label,a\n0,1\n1,NA\n",
        "bad-empty-cell.csv": b"label,a,b\n0,1,\n",
        "bad-missing-label.csv": b"label,a\n,1\n",
        "bad-text-feature.csv": b"label,a\n0,1\n1,red\n",
        "bad-infinity.csv": b"label,a\n0,inf\n",
        "bad-overflow.csv": b"label,a\n0,1e999\n",
        "bad-hex-float.csv": b"label,a\n0,0x1p3\n",
        "bad-too-few-fields.csv": b"label,a,b\n0,1\n",
        "bad-unclosed-quote.csv": b'label,a\n"0,1\n',
        "bad-after-quote.csv": b'label,a\n"0"x,1\n',
        "bad-label-only.csv": b"label\n0\n",
        "bad-not-utf8.csv": b"label,a\n\xe9,1\n",
    }
    for name, data in files.items():
        write(t, "read", name, data)


if __name__ == "__main__":
    idx_seeds()
    npz_seeds()
    json_seeds()
    image_seeds()
    csv_seeds()
