# Run by test-py-binding.sh under heaptag: exact figures for tagged blocks.
import heaptag
assert heaptag.active()
keep = [None] * 1000
for i in range(1000):
    with heaptag.scope("Blob"):
        b = bytes(100 + (i & 0))  # one malloc: header + 100 bytes + NUL
    heaptag.instance_new("Blob")
    keep[i] = b
try:
    with heaptag.scope("Err"):
        raise KeyError("x")
except KeyError:
    pass
with heaptag.scope("Outer"):
    with heaptag.scope("Inner"):
        x = bytearray(5000)
    y = bytearray(7000)
z = bytearray(9000)  # untagged again
print("ok")
